using Experiments.Results;
using Microsoft.Data.Sqlite;

namespace Experiments.Store.Sqlite;

/// <summary>
/// The file's schema and how older files are brought up to date. <c>schema_info</c> has one row per applied
/// migration; the file's version is the highest. Migrations are append-only: never edit one that has shipped.
/// Times are unix milliseconds (UTC) in INTEGER columns: compact, unambiguous and comparable on any database.
/// </summary>
internal static class Schema
{
    private sealed record Migration(int Version, string Description, string Sql);

    private static readonly Migration[] Migrations =
    [
        new(1, "initial schema", """
            CREATE TABLE schema_info (
                version    INTEGER NOT NULL PRIMARY KEY,
                applied_at INTEGER NOT NULL
            );

            -- declaration: JSON (repeats, objective, goal, score constant, matrix size, rules, parameters).
            CREATE TABLE experiments (
                name          TEXT    NOT NULL PRIMARY KEY,
                declaration   TEXT    NOT NULL,
                registered_at INTEGER NOT NULL,
                updated_at    INTEGER NOT NULL
            );

            -- The current state of each trial: its latest attempt (attempt 0: never claimed).
            CREATE TABLE trials (
                experiment      TEXT    NOT NULL REFERENCES experiments (name),
                trial_id        TEXT    NOT NULL,
                idx             INTEGER NOT NULL,
                repeat          INTEGER NOT NULL,
                parameters      TEXT    NOT NULL, -- JSON object, name -> display text, in declaration order
                status          TEXT    NOT NULL, -- pending | running | passed | failed | interrupted
                attempt         INTEGER NOT NULL,
                worker          TEXT,             -- host:pid:session
                heartbeat_at    INTEGER,
                started_at      INTEGER,
                finished_at     INTEGER,
                duration_s      REAL,
                error           TEXT,
                build_id        TEXT,
                source_revision TEXT,
                device          TEXT,
                PRIMARY KEY (experiment, trial_id)
            );
            CREATE INDEX trials_by_index ON trials (experiment, idx);
            CREATE INDEX trials_by_status ON trials (status);

            -- History: one row per ended attempt (completed, or found abandoned).
            CREATE TABLE attempts (
                experiment      TEXT    NOT NULL,
                trial_id        TEXT    NOT NULL,
                attempt         INTEGER NOT NULL,
                worker          TEXT,
                status          TEXT    NOT NULL,
                started_at      INTEGER,
                finished_at     INTEGER,
                duration_s      REAL,
                error           TEXT,
                build_id        TEXT,
                source_revision TEXT,
                device          TEXT,
                PRIMARY KEY (experiment, trial_id, attempt),
                FOREIGN KEY (experiment, trial_id) REFERENCES trials (experiment, trial_id)
            );

            -- Final metrics of each attempt; value NULL is NaN (SQLite stores NaN as NULL).
            CREATE TABLE metrics (
                experiment TEXT    NOT NULL,
                trial_id   TEXT    NOT NULL,
                attempt    INTEGER NOT NULL,
                name       TEXT    NOT NULL,
                position   INTEGER NOT NULL, -- the order the trial reported them in
                value      REAL,
                PRIMARY KEY (experiment, trial_id, attempt, name),
                FOREIGN KEY (experiment, trial_id) REFERENCES trials (experiment, trial_id)
            );

            -- Per-epoch metrics of each attempt; value NULL is NaN.
            CREATE TABLE epoch_metrics (
                experiment TEXT    NOT NULL,
                trial_id   TEXT    NOT NULL,
                attempt    INTEGER NOT NULL,
                epoch      INTEGER NOT NULL,
                name       TEXT    NOT NULL,
                value      REAL,
                PRIMARY KEY (experiment, trial_id, attempt, epoch, name),
                FOREIGN KEY (experiment, trial_id) REFERENCES trials (experiment, trial_id)
            );
            """),
        new(2, "why an attempt that did not report ended", """
            -- 'lease expired': its heartbeat went stale and another worker claimed the trial; 'worker gone': its worker
            -- was found dead; NULL: the attempt reported its end. Older rows get theirs from the error text they carry.
            ALTER TABLE attempts ADD COLUMN reason TEXT;
            UPDATE attempts SET reason = 'lease expired' WHERE error LIKE 'Abandoned: no heartbeat%';
            UPDATE attempts SET reason = 'worker gone' WHERE error LIKE 'Abandoned: worker % is no longer running%';
            """),
    ];

    /// <summary>The version this code writes and reads.</summary>
    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>
    /// Fails, reading only, when the file is someone else's database or of a newer schema: called before anything
    /// writes to the file (even before the switch to WAL), so a file that is not ours is left byte for byte as it was.
    /// </summary>
    public static void Check(SqliteConnection connection, string path)
    {
        using var snapshot = connection.BeginTransaction(deferred: true);
        ReadVersion(connection, snapshot, path);
    }

    /// <summary>Brings the file to <see cref="LatestVersion"/>; fails, changing nothing, on a newer or foreign file.</summary>
    public static void Migrate(SqliteConnection connection, string path, long nowMs)
    {
        // Cheap check first, so opening an up-to-date file never takes the write lock. Its reads share one read
        // transaction, so they see one state of the file: another process committing the schema in between (a new
        // file opened by two runs at once) must not make it look like "tables but no schema_info", a foreign file.
        using (var snapshot = connection.BeginTransaction(deferred: true))
        {
            if (ReadVersion(connection, snapshot, path) == LatestVersion)
            {
                return;
            }
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        // Read again under the write lock: another process may have migrated the file meanwhile.
        var version = ReadVersion(connection, transaction, path);
        foreach (var migration in Migrations.Where(m => m.Version > version))
        {
            connection.Execute(transaction, migration.Sql);
            connection.Execute(transaction, "INSERT INTO schema_info (version, applied_at) VALUES (@version, @now)",
                ("@version", migration.Version), ("@now", nowMs));
        }
        transaction.Commit();
    }

    /// <summary>
    /// The file's version, 0 for an empty file. Call it in a transaction: its reads must all see the same state of
    /// the file (a migration creates <c>schema_info</c> and the other tables in one commit).
    /// </summary>
    private static int ReadVersion(SqliteConnection connection, SqliteTransaction transaction, string path)
    {
        using (var command = connection.Command(transaction, """
            SELECT COUNT(*), COALESCE(SUM(type = 'table' AND name = 'schema_info'), 0) FROM sqlite_master
            """))
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            var (objects, hasSchemaInfo) = (reader.GetInt64(0), reader.GetInt64(1) > 0);
            if (!hasSchemaInfo)
            {
                // An empty file is new; a database with other tables is someone else's: never write into it.
                if (objects > 0)
                {
                    throw new ResultStoreException(
                        $"'{path}' is a SQLite database but not an Experiments results store (it has no schema_info table); it was not changed. Is it the right file?");
                }
                return 0;
            }
        }

        var version = (int)connection.Scalar<long>(transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_info");
        if (version > LatestVersion)
        {
            throw new ResultStoreException(
                $"The results store '{path}' has schema version {version}, but this version of Experiments " +
                $"understands up to schema version {LatestVersion}. Update the Experiments packages, or use another " +
                "store file; the file was not changed.");
        }
        return version;
    }
}
