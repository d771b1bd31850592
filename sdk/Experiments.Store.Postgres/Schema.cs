using Experiments.Results;
using Npgsql;

namespace Experiments.Store.Postgres;

/// <summary>
/// The database's schema and how older ones are brought up to date, as in the SQLite store: <c>schema_info</c> has
/// one row per applied migration, the highest is the version; migrations are append-only. The tables live in the
/// connection's current schema (the first of the search path), so one database can hold several stores.
/// Times are unix milliseconds (UTC) in BIGINT columns, like the SQLite store's, so records compare across stores.
/// </summary>
internal static class Schema
{
    private sealed record Migration(int Version, string Description, string Sql);

    // Any fixed number: every process that migrates takes this transaction-level advisory lock first, so several
    // processes opening a new database at once migrate it exactly once, one after the other.
    internal const long MigrationLock = 0x45_78_70_53_74_6F_72_65; // "ExpStore"

    private static readonly Migration[] Migrations =
    [
        new(1, "initial schema", """
            CREATE TABLE schema_info (
                version    INTEGER NOT NULL PRIMARY KEY,
                applied_at BIGINT  NOT NULL
            );

            -- declaration: JSON (repeats, objective, goal, score constant, matrix size, rules, parameters).
            CREATE TABLE experiments (
                name          TEXT   NOT NULL PRIMARY KEY,
                declaration   TEXT   NOT NULL,
                registered_at BIGINT NOT NULL,
                updated_at    BIGINT NOT NULL
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
                heartbeat_at    BIGINT,
                started_at      BIGINT,
                finished_at     BIGINT,
                duration_s      DOUBLE PRECISION,
                error           TEXT,
                build_id        TEXT,
                source_revision TEXT,
                device          TEXT,
                PRIMARY KEY (experiment, trial_id)
            );
            CREATE INDEX trials_by_index ON trials (experiment, idx);
            CREATE INDEX trials_by_status ON trials (status);

            -- History: one row per ended attempt (completed, or given up). reason: why an attempt that did not
            -- report ended — 'lease expired' (its heartbeat went stale and another worker claimed the trial) or
            -- 'worker gone' (its worker was found dead); NULL for an attempt that reported its end.
            CREATE TABLE attempts (
                experiment      TEXT    NOT NULL,
                trial_id        TEXT    NOT NULL,
                attempt         INTEGER NOT NULL,
                worker          TEXT,
                status          TEXT    NOT NULL,
                started_at      BIGINT,
                finished_at     BIGINT,
                duration_s      DOUBLE PRECISION,
                error           TEXT,
                build_id        TEXT,
                source_revision TEXT,
                device          TEXT,
                reason          TEXT,
                PRIMARY KEY (experiment, trial_id, attempt),
                FOREIGN KEY (experiment, trial_id) REFERENCES trials (experiment, trial_id)
            );

            -- Final metrics of each attempt (NaN is stored as NaN).
            CREATE TABLE metrics (
                experiment TEXT             NOT NULL,
                trial_id   TEXT             NOT NULL,
                attempt    INTEGER          NOT NULL,
                name       TEXT             NOT NULL,
                position   INTEGER          NOT NULL, -- the order the trial reported them in
                value      DOUBLE PRECISION,
                PRIMARY KEY (experiment, trial_id, attempt, name),
                FOREIGN KEY (experiment, trial_id) REFERENCES trials (experiment, trial_id)
            );

            -- Per-epoch metrics of each attempt.
            CREATE TABLE epoch_metrics (
                experiment TEXT             NOT NULL,
                trial_id   TEXT             NOT NULL,
                attempt    INTEGER          NOT NULL,
                epoch      INTEGER          NOT NULL,
                name       TEXT             NOT NULL,
                value      DOUBLE PRECISION,
                PRIMARY KEY (experiment, trial_id, attempt, epoch, name),
                FOREIGN KEY (experiment, trial_id) REFERENCES trials (experiment, trial_id)
            );
            """),
    ];

    /// <summary>The version this code writes and reads.</summary>
    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>Brings the schema to <see cref="LatestVersion"/>; fails, changing nothing, on a newer or foreign one.</summary>
    public static void Migrate(NpgsqlConnection connection, PostgresLocation location, long nowMs)
    {
        // Cheap check first, without the lock: an up-to-date database is the common case.
        if (ReadVersion(connection, null, location) == LatestVersion)
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        connection.Execute(transaction, "SELECT pg_advisory_xact_lock(@key)", ("@key", MigrationLock));
        // Read again under the lock (READ COMMITTED: this statement sees what another migrator committed).
        var version = ReadVersion(connection, transaction, location);
        foreach (var migration in Migrations.Where(m => m.Version > version))
        {
            try
            {
                connection.Execute(transaction, migration.Sql);
                connection.Execute(transaction, "INSERT INTO schema_info (version, applied_at) VALUES (@version, @now)",
                    ("@version", migration.Version), ("@now", nowMs));
            }
            catch (PostgresException e)
            {
                throw new ResultStoreException(
                    $"Results store {location}: cannot bring the schema from version {version} to {migration.Version} " +
                    $"({migration.Description}): {e.MessageText}. Nothing was changed.", e);
            }
        }
        transaction.Commit();
    }

    /// <summary>The schema's version, 0 when it has no tables yet.</summary>
    private static int ReadVersion(NpgsqlConnection connection, NpgsqlTransaction? transaction, PostgresLocation location)
    {
        using (var command = connection.Command(transaction, """
            SELECT current_schema(),
                   (SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()),
                   to_regclass('schema_info') IS NOT NULL
            """))
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            if (reader.IsDBNull(0))
            {
                throw new ResultStoreException(
                    $"Results store {location}: no schema of the search path exists in the database; create it first (CREATE SCHEMA …).");
            }
            var (schema, tables, hasSchemaInfo) = (reader.GetString(0), reader.GetInt64(1), reader.GetBoolean(2));
            if (!hasSchemaInfo)
            {
                // An empty schema is new; one with other tables is someone else's: never write into it.
                if (tables > 0)
                {
                    throw new ResultStoreException(
                        $"Results store {location}: schema '{schema}' has {tables} table(s) but is not an Experiments " +
                        "results store (it has no schema_info table); use an empty database or schema.");
                }
                return 0;
            }
        }

        var version = connection.Scalar<int>(transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_info");
        if (version > LatestVersion)
        {
            throw new ResultStoreException(
                $"The results store {location} has schema version {version}, but this version of Experiments " +
                $"understands up to schema version {LatestVersion}. Update the Experiments packages, or use another " +
                "database; it was not changed.");
        }
        return version;
    }
}
