using Experiments.Results;
using Experiments.Store.Postgres;
using Experiments.Store.Sqlite;

namespace Experiments.Runner.Cli;

/// <summary>
/// Where the results are and how they are opened: the one place that knows the stores. The location comes from
/// <c>--store</c>, else the <c>EXPERIMENTS_STORE</c> environment variable, else the project's SQLite file. A
/// <c>postgres://</c> / <c>postgresql://</c> URI or an Npgsql key=value connection string (<c>Host=…</c>) is a
/// PostgreSQL store; anything else is a SQLite file path. Store errors become one-line command errors with exit code 3.
/// </summary>
internal static class StoreAccess
{
    public const string EnvironmentVariable = "EXPERIMENTS_STORE";

    /// <summary>The store of this command: option &gt; environment &gt; the project's default file.</summary>
    public static StoreLocation Locate(ProjectSettings settings)
        => Locate(settings.StoreOption, Environment.GetEnvironmentVariable(EnvironmentVariable), settings.StorePath);

    public static StoreLocation Locate(string? option, string? environment, string defaultPath)
    {
        var (text, source) = option is { Length: > 0 } ? (option, "--store")
            : environment is { Length: > 0 } ? (environment, EnvironmentVariable)
            : (defaultPath, "the project's default store");
        try
        {
            return StoreLocation.Parse(text);
        }
        catch (FormatException e)
        {
            // The message never repeats the text: it may hold a password.
            throw new CliException($"{source}: {e.Message}");
        }
    }

    public static IResultStore Open(StoreLocation location) => new ErrorsAsCommandErrors(location, Guard<IResultStore>(location, () =>
    {
        if (location.Postgres is { } server)
        {
            return new PostgresResultStore(server, TimeProvider.System);
        }
        // Safe when several runs create a new store at once: the store checks the file's schema consistently. The
        // store creates the folder, and reports when it cannot.
        return new SqliteResultStore(location.FilePath!);
    }));

    /// <summary>For commands that only read: no store file yet means no results, not a new empty file.</summary>
    public static IResultStore? OpenExisting(StoreLocation location)
        => location.Postgres is not null || File.Exists(location.FilePath) ? Open(location) : null;

    /// <summary>A SQLite file, or a server location given as text.</summary>
    public static IResultStore Open(string location) => Open(StoreLocation.Parse(location));

    public static IResultStore? OpenExisting(string location) => OpenExisting(StoreLocation.Parse(location));

    private static T Guard<T>(StoreLocation location, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (ResultStoreException e)
        {
            throw new StoreErrorException(Message(location, e), e);
        }
    }

    /// <summary>The store's message, which names the store; prefixed with the location in case one does not.</summary>
    internal static string Message(StoreLocation location, ResultStoreException error)
    {
        var where = location.ToString();
        return error.Message.Contains(where, StringComparison.Ordinal) ? error.Message : $"Results store {where}: {error.Message}";
    }

    /// <summary>
    /// A store whose errors (a server gone for longer than its reconnect backoff, a refused write, a full disk) are
    /// <see cref="StoreErrorException"/>s: the command stops with the store's one-line message and exit code 3 instead
    /// of a stack trace, and <c>run</c> can tell them from a trial's failure.
    /// </summary>
    private sealed class ErrorsAsCommandErrors(StoreLocation location, IResultStore inner) : IResultStore, IRunningTrials
    {
        private T Guard<T>(Func<T> call) => StoreAccess.Guard(location, call);

        /// <summary>Who runs what, when the store can say (both stores can); otherwise the running trials without heartbeats.</summary>
        public IReadOnlyList<RunningTrial> GetRunning(string experiment)
            => Guard(() => inner is IRunningTrials running
                ? running.GetRunning(experiment)
                : inner.GetTrials(experiment).Where(t => t.Status == TrialStatus.Running)
                    .Select(t => new RunningTrial(t.TrialId, t.Attempt, WorkerIdentity.Parse(t.Worker), t.StartedAt, null))
                    .ToArray());

        public void Register(ExperimentInfo experiment, IEnumerable<PlannedTrial> trials)
            => Guard(() => { inner.Register(experiment, trials); return 0; });

        public IReadOnlyList<string> Promote(string experiment, Func<IReadOnlyList<TrialRecord>, IReadOnlyList<PlannedTrial>> decide)
            => Guard(() => inner.Promote(experiment, decide));

        public int? TryClaim(string experiment, string trialId, WorkerIdentity worker, DateTimeOffset sweepStart, bool rerunPassed, TimeSpan staleAfter)
            => Guard(() => inner.TryClaim(experiment, trialId, worker, sweepStart, rerunPassed, staleAfter));

        public void Heartbeat(string experiment, IReadOnlyCollection<string> trialIds, WorkerIdentity worker)
            => Guard(() => { inner.Heartbeat(experiment, trialIds, worker); return 0; });

        public void RecordEpochMetric(string experiment, string trialId, int attempt, int epoch, string name, double value)
            => Guard(() => { inner.RecordEpochMetric(experiment, trialId, attempt, epoch, name, value); return 0; });

        public void RecordEpochMetrics(string experiment, string trialId, int attempt, IReadOnlyList<EpochMetricValue> values)
            => Guard(() => { inner.RecordEpochMetrics(experiment, trialId, attempt, values); return 0; });

        public bool Complete(string experiment, string trialId, int attempt, WorkerIdentity worker, TrialOutcome outcome)
            => Guard(() => inner.Complete(experiment, trialId, attempt, worker, outcome));

        public bool Unclaim(string experiment, string trialId, int attempt, WorkerIdentity worker)
            => Guard(() => inner.Unclaim(experiment, trialId, attempt, worker));

        public int ReleaseAbandoned(Func<WorkerIdentity, bool> isAlive) => Guard(() => inner.ReleaseAbandoned(isAlive));

        public IReadOnlyList<string> GetExperimentNames() => Guard(inner.GetExperimentNames);

        public ExperimentInfo? GetExperiment(string name) => Guard(() => inner.GetExperiment(name));

        public IReadOnlyList<TrialRecord> GetTrials(string experiment) => Guard(() => inner.GetTrials(experiment));

        public IReadOnlyList<EpochMetric> GetEpochMetrics(string experiment) => Guard(() => inner.GetEpochMetrics(experiment));

        public IReadOnlyDictionary<string, int> GetAttemptCounts(string experiment) => Guard(() => inner.GetAttemptCounts(experiment));

        public void Dispose() => inner.Dispose();

        public override string? ToString() => inner.ToString();
    }
}

/// <summary>
/// A store's location: a SQLite file or a PostgreSQL server. <see cref="ToString"/> never shows a password, so this
/// is what every message prints.
/// </summary>
internal sealed class StoreLocation
{
    private StoreLocation(string? filePath, PostgresLocation? postgres)
    {
        FilePath = filePath;
        Postgres = postgres;
    }

    /// <summary>The full path of a SQLite store, or null for a server.</summary>
    public string? FilePath { get; }

    public PostgresLocation? Postgres { get; }

    public static StoreLocation Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return PostgresLocation.IsPostgres(text)
            ? new StoreLocation(null, PostgresLocation.Parse(text))
            : new StoreLocation(Path.GetFullPath(text), null);
    }

    public override string ToString() => Postgres?.ToString() ?? FilePath!;
}
