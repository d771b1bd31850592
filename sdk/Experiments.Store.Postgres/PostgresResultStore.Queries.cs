using System.Data;
using Experiments.Results;
using Experiments.Store;
using Npgsql;

namespace Experiments.Store.Postgres;

// Reads. Each one runs in one transaction (REPEATABLE READ where it reads twice), so it sees one consistent snapshot
// while others write. Reading twice changes nothing: after a lost connection a read simply runs again.
public sealed partial class PostgresResultStore
{

    public IReadOnlyList<string> GetExperimentNames() => Use(idempotent: true, (connection, transaction) =>
    {
        using var command = connection.Command(transaction, "SELECT name FROM experiments ORDER BY name");
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }
        return (IReadOnlyList<string>)names;
    });

    public ExperimentInfo? GetExperiment(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Use(idempotent: true, (connection, transaction) =>
        {
            using var command = connection.Command(transaction, "SELECT declaration FROM experiments WHERE name = @name", ("@name", name));
            return command.ExecuteScalar() is string json ? Json.ReadDeclaration(name, json) : null;
        });
    }

    public IReadOnlyList<TrialRecord> GetTrials(string experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return Use(idempotent: true, (connection, transaction) => ReadTrials(connection, transaction, experiment), IsolationLevel.RepeatableRead);
    }

    /// <summary>Every trial of the experiment with the final metrics of its current attempt, in matrix order.</summary>
    private static IReadOnlyList<TrialRecord> ReadTrials(NpgsqlConnection connection, NpgsqlTransaction transaction, string experiment)
    {
        // Final metrics of each trial's current attempt, in the order the trial reported them.
        Dictionary<string, Dictionary<string, double>> metrics;
        using (var command = connection.Command(transaction, """
            SELECT m.trial_id, m.name, m.value
            FROM metrics m
            JOIN trials t ON t.experiment = m.experiment AND t.trial_id = m.trial_id AND t.attempt = m.attempt
            WHERE m.experiment = @experiment
            ORDER BY m.trial_id, m.position
            """, ("@experiment", experiment)))
        using (var reader = command.ExecuteReader())
        {
            metrics = Rows.ReadMetrics(reader);
        }

        using (var command = connection.Command(transaction, $"""
            SELECT {Rows.TrialColumns}
            FROM trials WHERE experiment = @experiment
            ORDER BY idx, trial_id COLLATE "C"
            """, ("@experiment", experiment)))
        using (var reader = command.ExecuteReader())
        {
            return Rows.ReadTrials(reader, experiment, metrics);
        }
    }

    public IReadOnlyList<EpochMetric> GetEpochMetrics(string experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return Use(idempotent: true, (connection, transaction) =>
        {
            // Byte order for names and ids (COLLATE "C"), as SQLite sorts them, whatever the database's collation.
            using var command = connection.Command(transaction, """
                SELECT e.trial_id, e.attempt, e.epoch, e.name, e.value
                FROM epoch_metrics e
                JOIN trials t ON t.experiment = e.experiment AND t.trial_id = e.trial_id AND t.attempt = e.attempt
                WHERE e.experiment = @experiment
                ORDER BY t.idx, t.trial_id COLLATE "C", e.epoch, e.name COLLATE "C"
                """, ("@experiment", experiment));
            using var reader = command.ExecuteReader();
            var epochs = new List<EpochMetric>();
            while (reader.Read())
            {
                epochs.Add(new EpochMetric(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetString(3), reader.ReadReal(4)));
            }
            return (IReadOnlyList<EpochMetric>)epochs;
        });
    }

    public IReadOnlyDictionary<string, int> GetAttemptCounts(string experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        // The attempt number counts every claim, the one running now included (the history has only ended attempts).
        return Use(idempotent: true, (connection, transaction) =>
        {
            using var command = connection.Command(transaction, "SELECT trial_id, attempt FROM trials WHERE experiment = @experiment",
                ("@experiment", experiment));
            using var reader = command.ExecuteReader();
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            while (reader.Read())
            {
                counts[reader.GetString(0)] = reader.GetInt32(1);
            }
            return (IReadOnlyDictionary<string, int>)counts;
        });
    }
}
