using System.Globalization;
using Experiments.Results;
using Experiments.Store;
using Npgsql;
using NpgsqlTypes;

namespace Experiments.Store.Postgres;

// Writes: registration and the life cycle of an attempt (claim, heartbeat, epoch metrics, completion, release).
public sealed partial class PostgresResultStore
{
    private const string ColumnsOfAttempt =
        "experiment, trial_id, attempt, worker, status, started_at, finished_at, duration_s, error, build_id, source_revision, device";

    // One statement: read the row and update it only if it is still the attempt that was read and claimable
    // (compare-and-set on attempt). A concurrent claim makes PostgreSQL re-check the WHERE on the new row version, where
    // the attempt no longer matches the one read: exactly one claimer wins, the others get no row.
    private static string ClaimSql(bool rerunPassed) => $"""
        WITH seen AS (
            SELECT status, attempt, worker, started_at, heartbeat_at
            FROM trials WHERE experiment = @experiment AND trial_id = @trial_id)
        UPDATE trials t
        SET status = 'running', attempt = t.attempt + 1, worker = @worker, started_at = @now, heartbeat_at = @now,
            finished_at = NULL, duration_s = NULL, error = NULL, build_id = NULL, source_revision = NULL, device = NULL
        FROM seen
        WHERE t.experiment = @experiment AND t.trial_id = @trial_id AND t.attempt = seen.attempt
          AND (t.status IN ('pending', 'interrupted')
            OR (t.status IN ({(rerunPassed ? "'failed', 'passed'" : "'failed'")}) AND t.finished_at < @sweep_start)
            OR (t.status = 'running' AND t.heartbeat_at < @stale_before))
        RETURNING t.attempt, seen.status, seen.worker, seen.started_at, seen.heartbeat_at
        """;

    private static readonly string ClaimFailedSql = ClaimSql(rerunPassed: false);
    private static readonly string ClaimFailedOrPassedSql = ClaimSql(rerunPassed: true);

    /// <summary>A trial's attempt as last read, to record it in the history when it is given up.</summary>
    private sealed record AttemptState(string Experiment, string TrialId, string Status, long Attempt, string? Worker, long? StartedAt, long? HeartbeatAt);

    public void Register(ExperimentInfo experiment, IEnumerable<PlannedTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(trials);
        var declaration = Json.WriteDeclaration(experiment);
        // The last of duplicate ids wins, as it would row by row; one statement cannot update a row twice.
        var plan = trials.GroupBy(t => t.TrialId, StringComparer.Ordinal).Select(g => g.Last()).ToArray();
        Use(idempotent: true, (connection, transaction) =>
        {
            var now = NowMs();
            connection.Execute(transaction, """
                INSERT INTO experiments (name, declaration, registered_at, updated_at)
                VALUES (@name, @declaration, @now, @now)
                ON CONFLICT (name) DO UPDATE SET declaration = excluded.declaration, updated_at = excluded.updated_at
                WHERE experiments.declaration <> excluded.declaration
                """, ("@name", experiment.Name), ("@declaration", declaration), ("@now", now));

            // New trials start pending; known ones keep their state. Only their place in the matrix is refreshed, and
            // only rows that changed are written. One statement for the whole matrix (arrays), in matrix order, so
            // concurrent registrations lock rows in the same order and cannot deadlock.
            connection.Execute(transaction, """
                INSERT INTO trials (experiment, trial_id, idx, repeat, parameters, status, attempt)
                SELECT @experiment, p.trial_id, p.idx, p.repeat, p.parameters, 'pending', 0
                FROM unnest(@trial_ids, @indices, @repeats, @parameters) AS p (trial_id, idx, repeat, parameters)
                ON CONFLICT (experiment, trial_id) DO UPDATE
                SET idx = excluded.idx, repeat = excluded.repeat, parameters = excluded.parameters
                WHERE trials.idx <> excluded.idx OR trials.repeat <> excluded.repeat OR trials.parameters <> excluded.parameters
                """, ("@experiment", experiment.Name), ("@trial_ids", plan.Select(t => t.TrialId).ToArray()),
                ("@indices", plan.Select(t => t.Index).ToArray()), ("@repeats", plan.Select(t => t.Repeat).ToArray()),
                ("@parameters", plan.Select(t => Json.WriteParameters(t.Parameters)).ToArray()));
        });
    }

    public IReadOnlyList<string> Promote(string experiment, Func<IReadOnlyList<TrialRecord>, IReadOnlyList<PlannedTrial>> decide)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(decide);
        // Repeatable after a lost connection: the decision is computed again from what committed, and known trials are kept.
        return Use<IReadOnlyList<string>>(idempotent: true, (connection, transaction) =>
        {
            // One promoter per experiment at a time, on every host: the lock is held to the commit, and under READ
            // COMMITTED the read below sees everything the previous holder committed.
            connection.Execute(transaction, "SELECT pg_advisory_xact_lock(@key, hashtext(@experiment))",
                ("@key", PromotionLock), ("@experiment", experiment));
            var planned = decide(ReadTrials(connection, transaction, experiment))
                .GroupBy(t => t.TrialId, StringComparer.Ordinal).Select(g => g.Last()).ToArray();
            if (planned.Length == 0)
            {
                return [];
            }
            using var insert = connection.Command(transaction, """
                INSERT INTO trials (experiment, trial_id, idx, repeat, parameters, status, attempt)
                SELECT @experiment, p.trial_id, p.idx, p.repeat, p.parameters, 'pending', 0
                FROM unnest(@trial_ids, @indices, @repeats, @parameters) AS p (trial_id, idx, repeat, parameters)
                ON CONFLICT (experiment, trial_id) DO NOTHING
                RETURNING trial_id
                """, ("@experiment", experiment), ("@trial_ids", planned.Select(t => t.TrialId).ToArray()),
                ("@indices", planned.Select(t => t.Index).ToArray()), ("@repeats", planned.Select(t => t.Repeat).ToArray()),
                ("@parameters", planned.Select(t => Json.WriteParameters(t.Parameters)).ToArray()));
            using var reader = insert.ExecuteReader();
            var inserted = new List<string>();
            while (reader.Read())
            {
                inserted.Add(reader.GetString(0));
            }
            return (IReadOnlyList<string>)inserted;
        });
    }

    // The first key of Promote's advisory lock (the second is the experiment's hash): "ExpPromo".
    private const int PromotionLock = 0x45_78_50_72;

    public int? TryClaim(string experiment, string trialId, WorkerIdentity worker, DateTimeOffset sweepStart, bool rerunPassed, TimeSpan staleAfter)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(trialId);
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentOutOfRangeException.ThrowIfLessThan(staleAfter, TimeSpan.Zero);
        return Use<int?>(idempotent: false, (connection, transaction) =>
        {
            var now = NowMs();
            var staleMs = staleAfter.Ticks / TimeSpan.TicksPerMillisecond;
            var staleBefore = staleMs >= now ? long.MinValue : now - staleMs;

            AttemptState seen;
            int attempt;
            using (var claim = connection.Command(transaction, rerunPassed ? ClaimFailedOrPassedSql : ClaimFailedSql,
                ("@experiment", experiment), ("@trial_id", trialId), ("@worker", worker.ToString()), ("@now", now),
                ("@sweep_start", Columns.ToMs(sweepStart)), ("@stale_before", staleBefore)))
            using (var reader = claim.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return null;
                }
                attempt = reader.GetInt32(0);
                seen = new AttemptState(experiment, trialId, reader.GetString(1), attempt - 1, reader.ReadText(2), reader.ReadLong(3), reader.ReadLong(4));
            }
            if (seen.Status == "running")
            {
                // Its lease ran out: the old attempt ends here, and a late result from it will be refused.
                RecordGivenUp(connection, transaction, seen, LeaseExpired,
                    $"Abandoned: no heartbeat from worker {seen.Worker} since {Iso(seen.HeartbeatAt)}.");
            }
            return attempt;
        });
    }

    public void Heartbeat(string experiment, IReadOnlyCollection<string> trialIds, WorkerIdentity worker)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(trialIds);
        ArgumentNullException.ThrowIfNull(worker);
        if (trialIds.Count == 0)
        {
            return;
        }
        Use(idempotent: true, (connection, transaction) => connection.Execute(transaction, """
            UPDATE trials SET heartbeat_at = @now
            WHERE experiment = @experiment AND trial_id = ANY(@trial_ids) AND worker = @worker AND status = 'running'
            """, ("@experiment", experiment), ("@trial_ids", trialIds.ToArray()), ("@worker", worker.ToString()), ("@now", NowMs())));
    }

    public void RecordEpochMetric(string experiment, string trialId, int attempt, int epoch, string name, double value)
        => RecordEpochMetrics(experiment, trialId, attempt, [new EpochMetricValue(epoch, name, value)]);

    public void RecordEpochMetrics(string experiment, string trialId, int attempt, IReadOnlyList<EpochMetricValue> values)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(trialId);
        ArgumentNullException.ThrowIfNull(values);
        foreach (var value in values)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value.Name, nameof(values));
        }
        if (values.Count == 0)
        {
            return;
        }
        // Within a batch the later value wins; one statement cannot write a row twice, so keep only the last.
        var latest = new Dictionary<(int, string), EpochMetricValue>();
        foreach (var value in values)
        {
            latest[(value.Epoch, value.Name)] = value;
        }
        var rows = latest.Values.ToArray();
        // Keyed by attempt, so a late write from an abandoned attempt never mixes with the current one. Writing the
        // same values again changes nothing: safe to repeat after a lost connection.
        Use(idempotent: true, (connection, transaction) => connection.Execute(transaction, """
            INSERT INTO epoch_metrics (experiment, trial_id, attempt, epoch, name, value)
            SELECT @experiment, @trial_id, @attempt, v.epoch, v.name, v.value
            FROM unnest(@epochs, @names, @values) AS v (epoch, name, value)
            ON CONFLICT (experiment, trial_id, attempt, epoch, name) DO UPDATE SET value = excluded.value
            """, ("@experiment", experiment), ("@trial_id", trialId), ("@attempt", attempt),
            ("@epochs", rows.Select(r => r.Epoch).ToArray()), ("@names", rows.Select(r => r.Name).ToArray()),
            ("@values", rows.Select(r => r.Value).ToArray())));
    }

    public bool Unclaim(string experiment, string trialId, int attempt, WorkerIdentity worker)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(trialId);
        ArgumentNullException.ThrowIfNull(worker);
        return Use(idempotent: false, (connection, transaction) =>
        {
            var key = new[] { ("@experiment", (object?)experiment), ("@trial_id", trialId), ("@attempt", attempt) };
            // Compare-and-set like Complete; the attempt number goes back, so an unrun claim leaves no trace.
            var updated = connection.Execute(transaction, """
                UPDATE trials
                SET status = 'pending', attempt = attempt - 1, worker = NULL, started_at = NULL, heartbeat_at = NULL
                WHERE experiment = @experiment AND trial_id = @trial_id AND attempt = @attempt AND worker = @worker
                  AND status = 'running'
                """, [.. key, ("@worker", worker.ToString())]);
            if (updated == 0)
            {
                return false;
            }
            connection.Execute(transaction, """
                DELETE FROM epoch_metrics WHERE experiment = @experiment AND trial_id = @trial_id AND attempt = @attempt
                """, key);
            return true;
        });
    }

    public bool Complete(string experiment, string trialId, int attempt, WorkerIdentity worker, TrialOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(trialId);
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Status is not (TrialStatus.Passed or TrialStatus.Failed or TrialStatus.Interrupted))
        {
            throw new ArgumentException($"An attempt ends passed, failed or interrupted, not {outcome.Status}.", nameof(outcome));
        }
        var metrics = outcome.Metrics.ToArray();
        return Use(idempotent: false, (connection, transaction) =>
        {
            var key = new[] { ("@experiment", (object?)experiment), ("@trial_id", trialId), ("@attempt", attempt) };
            // Compare-and-set: only the running attempt of this worker may end it (not a stale or repeated call).
            var updated = connection.Execute(transaction, """
                UPDATE trials
                SET status = @status, finished_at = @now, duration_s = @duration, error = @error,
                    build_id = @build_id, source_revision = @source_revision, device = @device
                WHERE experiment = @experiment AND trial_id = @trial_id AND attempt = @attempt AND worker = @worker
                  AND status = 'running'
                """, [.. key, ("@worker", worker.ToString()), ("@status", Columns.ToText(outcome.Status)),
                    ("@now", NowMs()), ("@duration", outcome.DurationSeconds), ("@error", outcome.Error),
                    ("@build_id", outcome.Build.BuildId), ("@source_revision", outcome.Build.SourceRevision),
                    ("@device", outcome.Device)]);
            if (updated == 0)
            {
                return false;
            }
            if (metrics.Length > 0)
            {
                connection.Execute(transaction, """
                    INSERT INTO metrics (experiment, trial_id, attempt, name, position, value)
                    SELECT @experiment, @trial_id, @attempt, m.name, m.position - 1, m.value
                    FROM unnest(@names, @values) WITH ORDINALITY AS m (name, value, position)
                    """, [.. key, ("@names", metrics.Select(m => m.Key).ToArray()), ("@values", metrics.Select(m => m.Value).ToArray())]);
            }
            connection.Execute(transaction, $"""
                INSERT INTO attempts ({ColumnsOfAttempt})
                SELECT {ColumnsOfAttempt} FROM trials WHERE experiment = @experiment AND trial_id = @trial_id
                """, key[..2]);
            return true;
        });
    }

    public int ReleaseAbandoned(Func<WorkerIdentity, bool> isAlive)
    {
        ArgumentNullException.ThrowIfNull(isAlive);
        var running = Use(idempotent: true, (connection, transaction) => ReadAttemptStates(connection, transaction, "status = 'running'"));
        if (running.Count == 0)
        {
            return 0;
        }

        // Ask about each worker once, outside the lock (the check may be slow); an unreadable worker is not alive.
        var alive = running.Select(r => r.Worker).Distinct()
            .ToDictionary(w => w ?? "", w => WorkerIdentity.Parse(w) is { } identity && isAlive(identity));
        var abandoned = running.Where(r => !alive[r.Worker ?? ""]).ToArray();
        if (abandoned.Length == 0)
        {
            return 0;
        }

        return Use(idempotent: false, (connection, transaction) =>
        {
            var released = 0;
            foreach (var attempt in abandoned)
            {
                var error = $"Abandoned: worker {attempt.Worker} is no longer running (last heartbeat {Iso(attempt.HeartbeatAt)}).";
                // Still the same attempt? Another process may have released or re-claimed it since it was read.
                var updated = connection.Execute(transaction, """
                    UPDATE trials SET status = 'interrupted', finished_at = heartbeat_at, error = @error
                    WHERE experiment = @experiment AND trial_id = @trial_id AND attempt = @attempt
                      AND status = 'running' AND worker = @worker
                    """, ("@experiment", attempt.Experiment), ("@trial_id", attempt.TrialId), ("@attempt", (int)attempt.Attempt),
                    ("@worker", attempt.Worker), ("@error", error));
                if (updated == 1)
                {
                    RecordGivenUp(connection, transaction, attempt, WorkerGone, error);
                    released++;
                }
            }
            return released;
        });
    }

    private const string LeaseExpired = "lease expired";
    private const string WorkerGone = "worker gone";

    private static List<AttemptState> ReadAttemptStates(NpgsqlConnection connection, NpgsqlTransaction transaction,
        string where, params (string, object?)[] parameters)
    {
        using var command = connection.Command(transaction,
            $"SELECT experiment, trial_id, status, attempt, worker, started_at, heartbeat_at FROM trials WHERE {where}", parameters);
        using var reader = command.ExecuteReader();
        var attempts = new List<AttemptState>();
        while (reader.Read())
        {
            attempts.Add(new AttemptState(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.ReadText(4), reader.ReadLong(5), reader.ReadLong(6)));
        }
        return attempts;
    }

    /// <summary>History row for an attempt that ended without reporting: interrupted at its last heartbeat.</summary>
    private static void RecordGivenUp(NpgsqlConnection connection, NpgsqlTransaction transaction, AttemptState attempt, string reason, string error)
        => connection.Execute(transaction, """
            INSERT INTO attempts (experiment, trial_id, attempt, worker, status, started_at, finished_at, error, reason)
            VALUES (@experiment, @trial_id, @attempt, @worker, 'interrupted', @started_at, @finished_at, @error, @reason)
            """, ("@experiment", attempt.Experiment), ("@trial_id", attempt.TrialId), ("@attempt", (int)attempt.Attempt),
            ("@worker", attempt.Worker), ("@started_at", attempt.StartedAt), ("@finished_at", attempt.HeartbeatAt),
            ("@error", error), ("@reason", reason));

    private static string Iso(long? ms)
        => Columns.ToTime(ms)?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "never";
}
