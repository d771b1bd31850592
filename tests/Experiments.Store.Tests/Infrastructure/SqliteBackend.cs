using Experiments.Results;
using Experiments.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace Experiments.Store.Tests.Infrastructure;

/// <summary>SQLite: a temporary folder with the store file in a not-yet-existing subfolder; deleted afterwards.</summary>
public sealed class SqliteBackend : IStoreBackend
{
    public SqliteBackend()
    {
        Folder = Path.Combine(Path.GetTempPath(), "experiments-store-tests", Guid.NewGuid().ToString("N"));
        FilePath = Path.Combine(Folder, ".experiments", "results.db");
    }

    public string Folder { get; }
    public string FilePath { get; }
    public int LatestSchemaVersion => SqliteResultStore.SchemaVersion;

    public IResultStore Open(TimeProvider clock) => new SqliteResultStore(FilePath, clock);

    public IResultStore OpenAt(string place, TimeProvider clock) => new SqliteResultStore(PathOf(place), clock);

    public (long Rows, long Version) SchemaVersions(string place)
    {
        using var connection = Connect(PathOf(place));
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), MAX(version) FROM schema_info";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public IReadOnlyList<AttemptRow> History(string experiment, string trialId)
    {
        using var connection = Connect(FilePath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT attempt, status, worker, error, reason FROM attempts WHERE experiment = $e AND trial_id = $t ORDER BY attempt";
        command.Parameters.AddWithValue("$e", experiment);
        command.Parameters.AddWithValue("$t", trialId);
        using var reader = command.ExecuteReader();
        var rows = new List<AttemptRow>();
        while (reader.Read())
        {
            rows.Add(new AttemptRow(reader.GetInt32(0), reader.GetString(1), Text(reader, 2), Text(reader, 3), Text(reader, 4)));
        }
        return rows;
    }

    public void RefuseEpoch(int epoch) => Execute($"""
        CREATE TRIGGER refuse_epoch_{epoch} BEFORE INSERT ON epoch_metrics WHEN NEW.epoch = {epoch}
        BEGIN SELECT RAISE(ABORT, 'epoch {epoch} refused'); END
        """);

    /// <summary>Runs SQL on the store file behind the store's back.</summary>
    public void Execute(string sql)
    {
        using var connection = Connect(FilePath);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private string PathOf(string place) => Path.Combine(Folder, place, "results.db");

    private static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
