using System.Globalization;
using Experiments.Results;
using Experiments.Store;
using Microsoft.Data.Sqlite;

namespace Experiments.Store.Sqlite;

// Writes: registration and the life cycle of an attempt (claim, heartbeat, epoch metrics, completion, release).
public sealed partial class SqliteResultStore
{
    private const string ColumnsOfAttempt =
        "experiment, trial_id, attempt, worker, status, started_at, finished_at, duration_s, error, build_id, source_revision, device";

    // Claimable: never run or interrupted; finished before this sweep (failed, or passed on --rerun); or running
    // with a stale heartbeat. "attempt = @seen_attempt" keeps it a compare-and-set on databases without a write lock.
    private static string ClaimSql(bool rerunPassed) => $"""
        UPDATE trials
        SET status = 'running', attempt = attempt + 1, worker = @worker, started_at = @now, heartbeat_at = @now,
            finished_at = NULL, duration_s = NULL, error = NULL, build_id = NULL, source_revision = NULL, device = NULL
        WHERE experiment = @experiment AND trial_id = @trial_id AND attempt = @seen_attempt
          AND (status IN ('pending', 'interrupted')
            OR (status IN ({(rerunPassed ? "'failed', 'passed'" : "'failed'")}) AND finished_at < @sweep_start)
            OR (status = 'running' AND heartbeat_at < @stale_before))
        RETURNING attempt
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
        Use(connection =>
        {
            var now = NowMs();
            using var transaction = connection.BeginTransaction(deferred: false);
            connection.Execute(transaction, """
                INSERT INTO experiments (name, declaration, registered_at, updated_at)
                VALUES (@name, @declaration, @now, @now)
                ON CONFLICT (name) DO UPDATE SET declaration = excluded.declaration, updated_at = excluded.updated_at
                WHERE experiments.declaration <> excluded.declaration
                """, ("@name", experiment.Name), ("@declaration", declaration), ("@now", now));

            // New trials start pending; known ones keep their state. Only their place in the matrix is refreshed
            // (it moves when values are added), and only rows that changed are written.
            InsertPending(connection, transaction, experiment.Name, trials, """
                ON CONFLICT (experiment, trial_id) DO UPDATE
                SET idx = excluded.idx, repeat = excluded.repeat, parameters = excluded.parameters
                WHERE trials.idx <> excluded.idx OR trials.repeat <> excluded.repeat OR trials.parameters <> excluded.parameters
                """);
            transaction.Commit();
        });
    }

    public IReadOnlyList<string> Promote(string experiment, Func<IReadOnlyList<TrialRecord>, IReadOnlyList<PlannedTrial>> decide)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(decide);
        return Use<IReadOnlyList<string>>(connection =>
        {
            // The write lock from the start (BEGIN IMMEDIATE): no other process writes between the read and the inserts.
            using var transaction = connection.BeginTransaction(deferred: false);
            var planned = decide(ReadTrials(connection, transaction, experiment));
            var inserted = InsertPending(connection, transaction, experiment, planned, "ON CONFLICT (experiment, trial_id) DO NOTHING");
            transaction.Commit();
            return inserted;
        });
    }

    /// <summary>Inserts trials as pending (what a conflict with a known trial does: <paramref name="onConflict"/>); returns the ids of the rows written.</summary>
    private static List<string> InsertPending(SqliteConnection connection, SqliteTransaction transaction, string experiment, IEnumerable<PlannedTrial> trials, string onConflict)
    {
        using var insert = connection.Command(transaction, $"""
            INSERT INTO trials (experiment, trial_id, idx, repeat, parameters, status, attempt)
            VALUES (@experiment, @trial_id, @idx, @repeat, @parameters, 'pending', 0)
            {onConflict}
            """, ("@experiment", experiment));
        var trialId = insert.Parameter("@trial_id", SqliteType.Text);
        var index = insert.Parameter("@idx", SqliteType.Integer);
        var repeat = insert.Parameter("@repeat", SqliteType.Integer);
        var parameters = insert.Parameter("@parameters", SqliteType.Text);
        insert.Prepare();
        var written = new List<string>();
        foreach (var trial in trials)
        {
            trialId.Value = trial.TrialId;
            index.Value = trial.Index;
            repeat.Value = trial.Repeat;
            parameters.Value = Json.WriteParameters(trial.Parameters);
            if (insert.ExecuteNonQuery() == 1)
            {
                written.Add(trial.TrialId);
            }
        }
        return written;
    }

    public int? TryClaim(string experiment, string trialId, WorkerIdentity worker, DateTimeOffset sweepStart, bool rerunPassed, TimeSpan staleAfter)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(trialId);
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentOutOfRangeException.ThrowIfLessThan(staleAfter, TimeSpan.Zero);
        return Use<int?>(connection =>
        {
            var now = NowMs();
            var staleMs = staleAfter.Ticks / TimeSpan.TicksPerMillisecond;
            var staleBefore = staleMs >= now ? long.MinValue : now - staleMs;

            // The write lock from the start: the read and the update see the same row.
            using var transaction = connection.BeginTransaction(deferred: false);
            var seen = ReadAttemptStates(connection, transaction, "experiment = @experiment AND trial_id = @trial_id",
                ("@experiment", experiment), ("@trial_id", trialId)).SingleOrDefault();
            if (seen is null)
            {
                return null;
            }

            using var claim = connection.Command(transaction, rerunPassed ? ClaimFailedOrPassedSql : ClaimFailedSql,
                ("@experiment", experiment), ("@trial_id", trialId), ("@seen_attempt", seen.Attempt),
                ("@worker", worker.ToString()), ("@now", now), ("@sweep_start", Columns.ToMs(sweepStart)),
                ("@stale_before", staleBefore));
            if (claim.ExecuteScalar() is not long attempt)
            {
                return null;
            }
            if (seen.Status == "running")
            {
                // Its lease ran out: the old attempt ends here, and a late result from it will be refused.
                RecordAbandoned(connection, transaction, seen, LeaseExpired, $"Abandoned: no heartbeat from worker {seen.Worker} since {Iso(seen.HeartbeatAt)}.");
            }
            transaction.Commit();
            return (int)attempt;
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
        Use(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var update = connection.Command(transaction, """
                UPDATE trials SET heartbeat_at = @now
                WHERE experiment = @experiment AND trial_id = @trial_id AND worker = @worker AND status = 'running'
                """, ("@experiment", experiment), ("@worker", worker.ToString()), ("@now", NowMs()));
            var trialId = update.Parameter("@trial_id", SqliteType.Text);
            foreach (var id in trialIds)
            {
                trialId.Value = id;
                update.ExecuteNonQuery();
            }
            transaction.Commit();
        });
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
        Use(connection =>
        {
            // One transaction (one commit, one sync) for the batch, one prepared statement for its rows. Keyed by
            // attempt, so a late write from an abandoned attempt never mixes with the current one.
            using var transaction = connection.BeginTransaction(deferred: false);
            using var insert = connection.Command(transaction, """
                INSERT INTO epoch_metrics (experiment, trial_id, attempt, epoch, name, value)
                VALUES (@experiment, @trial_id, @attempt, @epoch, @name, @value)
                ON CONFLICT (experiment, trial_id, attempt, epoch, name) DO UPDATE SET value = excluded.value
                """, ("@experiment", experiment), ("@trial_id", trialId), ("@attempt", attempt));
            var epoch = insert.Parameter("@epoch", SqliteType.Integer);
            var name = insert.Parameter("@name", SqliteType.Text);
            var metric = insert.Parameter("@value", SqliteType.Real);
            insert.Prepare();
            foreach (var value in values)
            {
                epoch.Value = value.Epoch;
                name.Value = value.Name;
                metric.Value = Db.Real(value.Value);
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        });
    }

    public bool Unclaim(string experiment, string trialId, int attempt, WorkerIdentity worker)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(trialId);
        ArgumentNullException.ThrowIfNull(worker);
        return Use(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var key = new[] { ("@experiment", (object?)experiment), ("@trial_id", trialId), ("@attempt", attempt) };
            // Compare-and-set like Complete; the attempt number goes back, so an unrun claim leaves no trace in the
            // attempt count or history (its epoch metrics, if any were written, go with it).
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
            transaction.Commit();
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
        return Use(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var key = new[] { ("@experiment", (object?)experiment), ("@trial_id", trialId) };
            // Compare-and-set: only the running attempt of this worker may end it (not a stale or repeated call).
            var updated = connection.Execute(transaction, """
                UPDATE trials
                SET status = @status, finished_at = @now, duration_s = @duration, error = @error,
                    build_id = @build_id, source_revision = @source_revision, device = @device
                WHERE experiment = @experiment AND trial_id = @trial_id AND attempt = @attempt AND worker = @worker
                  AND status = 'running'
                """, [.. key, ("@attempt", attempt), ("@worker", worker.ToString()), ("@status", Columns.ToText(outcome.Status)),
                    ("@now", NowMs()), ("@duration", Db.Real(outcome.DurationSeconds)), ("@error", outcome.Error),
                    ("@build_id", outcome.Build.BuildId), ("@source_revision", outcome.Build.SourceRevision),
                    ("@device", outcome.Device)]);
            if (updated == 0)
            {
                return false;
            }

            using (var insert = connection.Command(transaction, """
                INSERT INTO metrics (experiment, trial_id, attempt, name, position, value)
                VALUES (@experiment, @trial_id, @attempt, @name, @position, @value)
                """, [.. key, ("@attempt", attempt)]))
            {
                var name = insert.Parameter("@name", SqliteType.Text);
                var position = insert.Parameter("@position", SqliteType.Integer);
                var value = insert.Parameter("@value", SqliteType.Real);
                var next = 0;
                foreach (var metric in outcome.Metrics)
                {
                    name.Value = metric.Key;
                    position.Value = next++;
                    value.Value = Db.Real(metric.Value);
                    insert.ExecuteNonQuery();
                }
            }

            connection.Execute(transaction, $"""
                INSERT INTO attempts ({ColumnsOfAttempt})
                SELECT {ColumnsOfAttempt} FROM trials WHERE experiment = @experiment AND trial_id = @trial_id
                """, key);
            transaction.Commit();
            return true;
        });
    }

    public int ReleaseAbandoned(Func<WorkerIdentity, bool> isAlive)
    {
        ArgumentNullException.ThrowIfNull(isAlive);
        var running = Use(connection => ReadAttemptStates(connection, null, "status = 'running'"));
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

        return Use(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var released = 0;
            foreach (var attempt in abandoned)
            {
                var error = $"Abandoned: worker {attempt.Worker} is no longer running (last heartbeat {Iso(attempt.HeartbeatAt)}).";
                // Still the same attempt? Another process may have released or re-claimed it since it was read.
                var updated = connection.Execute(transaction, """
                    UPDATE trials SET status = 'interrupted', finished_at = heartbeat_at, error = @error
                    WHERE experiment = @experiment AND trial_id = @trial_id AND attempt = @attempt
                      AND status = 'running' AND worker = @worker
                    """, ("@experiment", attempt.Experiment), ("@trial_id", attempt.TrialId), ("@attempt", attempt.Attempt),
                    ("@worker", attempt.Worker), ("@error", error));
                if (updated == 1)
                {
                    RecordAbandoned(connection, transaction, attempt, WorkerGone, error);
                    released++;
                }
            }
            transaction.Commit();
            return released;
        });
    }

    private static List<AttemptState> ReadAttemptStates(SqliteConnection connection, SqliteTransaction? transaction,
        string where, params (string, object?)[] parameters)
    {
        using var command = connection.Command(transaction,
            $"SELECT experiment, trial_id, status, attempt, worker, started_at, heartbeat_at FROM trials WHERE {where}", parameters);
        using var reader = command.ExecuteReader();
        var attempts = new List<AttemptState>();
        while (reader.Read())
        {
            attempts.Add(new AttemptState(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                reader.ReadText(4), reader.ReadLong(5), reader.ReadLong(6)));
        }
        return attempts;
    }

    /// <summary>History row for an attempt that ended without reporting: interrupted at its last heartbeat.</summary>
    private static void RecordAbandoned(SqliteConnection connection, SqliteTransaction transaction, AttemptState attempt,
        string reason, string error)
        => connection.Execute(transaction, """
            INSERT INTO attempts (experiment, trial_id, attempt, worker, status, started_at, finished_at, error, reason)
            VALUES (@experiment, @trial_id, @attempt, @worker, 'interrupted', @started_at, @finished_at, @error, @reason)
            """, ("@experiment", attempt.Experiment), ("@trial_id", attempt.TrialId), ("@attempt", attempt.Attempt),
            ("@worker", attempt.Worker), ("@started_at", attempt.StartedAt), ("@finished_at", attempt.HeartbeatAt),
            ("@error", error), ("@reason", reason));

    // Why an attempt that did not report ended (attempts.reason).
    private const string LeaseExpired = "lease expired";
    private const string WorkerGone = "worker gone";

    private static string Iso(long? ms)
        => Columns.ToTime(ms)?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "never";
}
