using System.Collections.Concurrent;
using Experiments.Results;
using Experiments.Store.Postgres;
using Npgsql;

namespace Experiments.Store.Tests.Infrastructure;

/// <summary>PostgreSQL: each test gets its own schema (an empty store) in the shared cluster's database.</summary>
public sealed class PostgresBackend(PostgresCluster cluster) : IStoreBackend
{
    private readonly Lazy<string> _schema = new(cluster.CreateSchema);
    private readonly ConcurrentDictionary<string, Lazy<string>> _places = new();

    public PostgresCluster Cluster => cluster;
    public string Schema => _schema.Value;
    public string ConnectionString => cluster.ConnectionString(Schema);
    public int LatestSchemaVersion => PostgresResultStore.SchemaVersion;

    public IResultStore Open(TimeProvider clock) => new PostgresResultStore(PostgresLocation.Parse(ConnectionString), clock);

    public IResultStore OpenAt(string place, TimeProvider clock)
        => new PostgresResultStore(PostgresLocation.Parse(cluster.ConnectionString(SchemaOf(place))), clock);

    public (long Rows, long Version) SchemaVersions(string place)
    {
        using var connection = Connect(cluster.ConnectionString(SchemaOf(place)));
        using var command = new NpgsqlCommand("SELECT COUNT(*), MAX(version) FROM schema_info", connection);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt32(1));
    }

    public IReadOnlyList<AttemptRow> History(string experiment, string trialId)
    {
        using var connection = Connect(ConnectionString);
        using var command = new NpgsqlCommand(
            "SELECT attempt, status, worker, error, reason FROM attempts WHERE experiment = @e AND trial_id = @t ORDER BY attempt", connection);
        command.Parameters.AddWithValue("e", experiment);
        command.Parameters.AddWithValue("t", trialId);
        using var reader = command.ExecuteReader();
        var rows = new List<AttemptRow>();
        while (reader.Read())
        {
            rows.Add(new AttemptRow(reader.GetInt32(0), reader.GetString(1), Text(reader, 2), Text(reader, 3), Text(reader, 4)));
        }
        return rows;
    }

    public void RefuseEpoch(int epoch) => Execute($"""
        CREATE FUNCTION refuse_epoch_{epoch}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.epoch = {epoch} THEN RAISE EXCEPTION 'epoch {epoch} refused'; END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_epoch_{epoch} BEFORE INSERT ON epoch_metrics FOR EACH ROW EXECUTE FUNCTION refuse_epoch_{epoch}();
        """);

    /// <summary>Runs SQL in this test's schema behind the store's back.</summary>
    public void Execute(string sql)
    {
        using var connection = Connect(ConnectionString);
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private string SchemaOf(string place) => _places.GetOrAdd(place, _ => new Lazy<string>(cluster.CreateSchema)).Value;

    private static NpgsqlConnection Connect(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return connection;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public void Dispose()
    {
    }
}
