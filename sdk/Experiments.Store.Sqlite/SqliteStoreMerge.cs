using Experiments.Results;
using Experiments.Store;
using Microsoft.Data.Sqlite;

namespace Experiments.Store.Sqlite;

/// <summary>What merging one store into another did.</summary>
/// <param name="Source">The merged file.</param>
/// <param name="ExperimentsAdded">Experiments the target did not know.</param>
/// <param name="TrialsTaken">Trials whose state came from the source (new, or further along there).</param>
/// <param name="AttemptsAdded">Rows of attempt history the target did not have.</param>
public sealed record StoreMergeResult(string Source, int ExperimentsAdded, int TrialsTaken, int AttemptsAdded);

/// <summary>
/// Merges results stores into one (<c>merge a.db b.db --into all.db</c>): the per-task SQLite files of a cluster run
/// that had no shared database. Each source goes in as one transaction, read through <c>ATTACH</c> and never written.
/// A trial's state comes from the store where it went further: new to the target, or never claimed there, or the same
/// attempt finished in the source while the target still has it running; its metrics, epoch metrics and attempt
/// history come with it. Merging a file again changes nothing. A trial with its own, different attempts in two stores
/// (it ran in both) and an experiment declared differently are errors naming the file; nothing of that file is merged.
/// Columns are copied by name from the two files' schemas, so a column a later schema version adds is carried over
/// without changes here.
/// </summary>
public static class SqliteStoreMerge
{
    private const string Source = "merge_source";

    // Tables in the order their foreign keys need; the key columns of each.
    private static readonly (string Table, string[] Key)[] Tables =
    [
        ("experiments", ["name"]),
        ("trials", ["experiment", "trial_id"]),
        ("attempts", ["experiment", "trial_id", "attempt"]),
        ("metrics", ["experiment", "trial_id", "attempt", "name"]),
        ("epoch_metrics", ["experiment", "trial_id", "attempt", "epoch", "name"]),
    ];

    public static IReadOnlyList<StoreMergeResult> Merge(string targetPath, IReadOnlyList<string> sourcePaths)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetPath);
        ArgumentNullException.ThrowIfNull(sourcePaths);
        var target = Path.GetFullPath(targetPath);
        var sources = sourcePaths.Select(Path.GetFullPath).ToArray();
        foreach (var source in sources)
        {
            if (!File.Exists(source))
            {
                throw new InvalidOperationException($"Cannot merge '{source}': no such file.");
            }
            if (string.Equals(source, target, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Cannot merge '{source}' into itself; name another file with --into.");
            }
        }

        // Creates the target, or brings it to the current schema, the way every store is opened.
        new SqliteResultStore(target).Dispose();

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = target,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        connection.Execute(null, "PRAGMA busy_timeout = 30000");
        connection.Execute(null, "PRAGMA foreign_keys = ON");

        var results = new List<StoreMergeResult>();
        foreach (var source in sources)
        {
            try
            {
                connection.Execute(null, $"ATTACH DATABASE @path AS {Source}", ("@path", source));
            }
            catch (SqliteException e)
            {
                throw new ResultStoreException($"Cannot merge '{source}': {e.Message}", e);
            }
            try
            {
                results.Add(MergeOne(connection, source, target));
            }
            catch (SqliteException e)
            {
                throw new ResultStoreException($"Cannot merge '{source}' into '{target}': {e.Message}", e);
            }
            finally
            {
                connection.Execute(null, $"DETACH DATABASE {Source}");
            }
        }
        return results;
    }

    private static StoreMergeResult MergeOne(SqliteConnection connection, string source, string target)
    {
        CheckVersion(connection, source);
        using var transaction = connection.BeginTransaction(deferred: false);

        var differing = Strings(connection, transaction, $"""
            SELECT s.name FROM {Source}.experiments s JOIN main.experiments t ON t.name = s.name
            WHERE s.declaration <> t.declaration ORDER BY s.name
            """);
        if (differing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Cannot merge '{source}': it declares {Names(differing)} differently from '{target}' (other parameters, values, "
                + "repeats or objective), so their results are not comparable. Merge stores of the same build of the experiment.");
        }

        // What to do with each trial of the source. 'take': its state comes from the source; 'same': the target
        // already has this attempt (or a later one that continues it); the history is completed from the source
        // either way. 'conflict': both ran it on their own.
        connection.Execute(transaction, "DROP TABLE IF EXISTS temp.merge_plan");
        connection.Execute(transaction, $"""
            CREATE TEMP TABLE merge_plan AS
            SELECT s.experiment, s.trial_id, CASE
                WHEN t.trial_id IS NULL THEN 'take'
                WHEN s.attempt = 0 THEN 'skip'
                WHEN t.attempt = 0 THEN 'take'
                WHEN s.attempt = t.attempt AND s.worker IS t.worker AND s.started_at IS t.started_at
                    THEN CASE WHEN t.status = 'running' AND s.status <> 'running' THEN 'take' ELSE 'same' END
                WHEN s.attempt < t.attempt AND EXISTS (
                    SELECT 1 FROM main.attempts a WHERE a.experiment = s.experiment AND a.trial_id = s.trial_id
                      AND a.attempt = s.attempt AND a.worker IS s.worker AND a.started_at IS s.started_at) THEN 'same'
                WHEN s.attempt > t.attempt AND EXISTS (
                    SELECT 1 FROM {Source}.attempts a WHERE a.experiment = t.experiment AND a.trial_id = t.trial_id
                      AND a.attempt = t.attempt AND a.worker IS t.worker AND a.started_at IS t.started_at) THEN 'take'
                ELSE 'conflict' END AS action
            FROM {Source}.trials s
            LEFT JOIN main.trials t ON t.experiment = s.experiment AND t.trial_id = s.trial_id
            """);
        var conflicts = Strings(connection, transaction, """
            SELECT experiment || ' ' || trial_id FROM temp.merge_plan WHERE action = 'conflict' ORDER BY experiment, trial_id
            """);
        if (conflicts.Count > 0)
        {
            throw new InvalidOperationException(
                $"Cannot merge '{source}': {conflicts.Count} trial(s) ran both there and in '{target}' ({Names(conflicts)}). "
                + "Each trial must run in one store: give each task its own shard (run --shard K/N).");
        }

        var experimentsAdded = Copy(connection, transaction, "experiments", "WHERE true", update: false);
        var trialsTaken = Copy(connection, transaction, "trials", """
            WHERE (experiment, trial_id) IN (SELECT experiment, trial_id FROM temp.merge_plan WHERE action = 'take')
            """, update: true);
        const string Kept = """
            WHERE (experiment, trial_id) IN (SELECT experiment, trial_id FROM temp.merge_plan WHERE action IN ('take', 'same'))
            """;
        var attemptsAdded = Copy(connection, transaction, "attempts", Kept, update: false);
        Copy(connection, transaction, "metrics", Kept, update: false);
        Copy(connection, transaction, "epoch_metrics", Kept, update: false);
        connection.Execute(transaction, "DROP TABLE temp.merge_plan");
        transaction.Commit();
        return new StoreMergeResult(source, experimentsAdded, trialsTaken, attemptsAdded);
    }

    /// <summary>
    /// Copies the rows <paramref name="where"/> selects from the source's table into the target's, by column name:
    /// new rows only, or (<paramref name="update"/>) replacing the target's row with the same key.
    /// </summary>
    private static int Copy(SqliteConnection connection, SqliteTransaction transaction, string table, string where, bool update)
    {
        var key = Tables.Single(t => t.Table == table).Key;
        var sourceColumns = Columns(connection, transaction, Source, table);
        var columns = Columns(connection, transaction, "main", table).Where(sourceColumns.Contains).ToArray();
        var list = string.Join(", ", columns);
        var conflict = update
            ? "DO UPDATE SET " + string.Join(", ", columns.Where(c => !key.Contains(c)).Select(c => $"{c} = excluded.{c}"))
            : "DO NOTHING";
        return connection.Execute(transaction, $"""
            INSERT INTO main.{table} ({list}) SELECT {list} FROM {Source}.{table} {where}
            ON CONFLICT ({string.Join(", ", key)}) {conflict}
            """);
    }

    private static HashSet<string> Columns(SqliteConnection connection, SqliteTransaction transaction, string schema, string table)
        => Strings(connection, transaction, "SELECT name FROM pragma_table_info(@table, @schema) ORDER BY cid",
            ("@table", table), ("@schema", schema)).ToHashSet(StringComparer.Ordinal);

    /// <summary>A source of a newer schema may hold what this code cannot keep; an older one is read by column name.</summary>
    private static void CheckVersion(SqliteConnection connection, string source)
    {
        var hasSchema = connection.Scalar<long>(null,
            $"SELECT COUNT(*) FROM {Source}.sqlite_master WHERE type = 'table' AND name = 'schema_info'") > 0;
        if (!hasSchema)
        {
            throw new ResultStoreException($"Cannot merge '{source}': it is not an Experiments results store (no schema_info table).");
        }
        var version = connection.Scalar<long>(null, $"SELECT COALESCE(MAX(version), 0) FROM {Source}.schema_info");
        if (version > Schema.LatestVersion)
        {
            throw new ResultStoreException(
                $"Cannot merge '{source}': it has schema version {version}, newer than this version of Experiments understands "
                + $"({Schema.LatestVersion}). Merge with the Experiments version that wrote it.");
        }
    }

    private static List<string> Strings(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        using var command = connection.Command(transaction, sql, parameters);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    private static string Names(IReadOnlyList<string> names)
        => string.Join(", ", names.Take(5).Select(n => $"'{n}'")) + (names.Count > 5 ? $" and {names.Count - 5} more" : string.Empty);
}
