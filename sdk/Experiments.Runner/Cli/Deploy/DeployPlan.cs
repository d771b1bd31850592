using Experiments.Runner.Execution.Host;

namespace Experiments.Runner.Cli.Deploy;

/// <summary>How the tasks of a cluster job share the sweep (<c>deploy … --mode</c>).</summary>
internal enum DeployMode
{
    /// <summary>
    /// Every task claims trials from the one shared store until none is left: the load balances itself (a task that
    /// finishes early takes more), and a requeued or retried task resumes where its trials stopped.
    /// </summary>
    Claim,

    /// <summary>
    /// Task K runs shard K of N (<c>run --shard K/N</c>): for stores that are not shared (one SQLite file per task,
    /// merged afterwards), or to pin trials to tasks.
    /// </summary>
    Shard,
}

/// <summary>What every deploy target writes alike: the tasks, and the <c>run</c> command line each of them executes.</summary>
internal sealed record DeployPlan(
    int Tasks,
    int Parallel,
    DeployMode Mode,
    string? Store,
    string? Experiment,
    string? Filter,
    int? Lease,
    int Gpus)
{
    /// <summary>Stands for the task's index in <see cref="RunArguments"/>; each target puts in its own variable.</summary>
    public const string TaskIndex = "{task-index}";

    /// <summary>Stands for the number of tasks in <see cref="RunArguments"/>.</summary>
    public const string TaskCount = "{task-count}";

    /// <summary>
    /// The arguments of the app's <c>run</c> in each task, with <see cref="TaskIndex"/>/<see cref="TaskCount"/> where
    /// the task's own values go and <paramref name="perTaskStore"/> (with <see cref="TaskIndex"/>) when each task
    /// writes its own store.
    /// </summary>
    public IReadOnlyList<string> RunArguments(string? perTaskStore = null)
    {
        var arguments = new List<string> { "run" };
        if (Mode == DeployMode.Shard)
        {
            arguments.AddRange(["--shard", $"{TaskIndex}/{TaskCount}"]);
        }
        if ((perTaskStore ?? Store) is { } store)
        {
            arguments.AddRange(["--store", store]);
        }
        if (Experiment is not null)
        {
            arguments.AddRange(["--experiment", Experiment]);
        }
        if (Filter is not null)
        {
            arguments.AddRange(["--filter", Filter]);
        }
        if (Lease is { } lease)
        {
            arguments.AddRange(["--lease", lease.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        if (Gpus > 0)
        {
            // The cluster makes the task's GPUs the only visible ones, numbered from 0: one worker per GPU.
            arguments.AddRange(["--device", string.Join(',', Enumerable.Range(0, Gpus).Select(g => $"cuda:{g}"))]);
        }
        return arguments;
    }

    /// <summary>The program and arguments that start this app outside <c>dotnet run</c> (the apphost, or <c>dotnet exec app.dll</c>).</summary>
    public static IReadOnlyList<string> AppCommand(ProjectSettings settings)
    {
        var launch = WorkerLaunch.ForCurrentProcess(settings.EntryAssemblyPath);
        return [launch.FileName, .. launch.Arguments.Take(launch.Arguments.Count - 1)];
    }

    /// <summary>
    /// A store given on the command line ends up in the written file: a connection string with a password must come
    /// from the environment (or a Kubernetes Secret) instead.
    /// </summary>
    public static string? CheckStore(string? store)
    {
        if (string.IsNullOrWhiteSpace(store))
        {
            return null;
        }
        var hasPassword = store.Contains("password=", StringComparison.OrdinalIgnoreCase)
            || (Uri.TryCreate(store, UriKind.Absolute, out var uri) && !uri.IsFile && uri.UserInfo.Contains(':', StringComparison.Ordinal));
        if (hasPassword)
        {
            throw new CliException(
                "--store holds a password, which would be written into the job file; set EXPERIMENTS_STORE in the job's "
                + "environment instead (or, for Kubernetes, put the connection string in the Secret).");
        }
        return store.Contains("://", StringComparison.Ordinal) ? store : Path.GetFullPath(store);
    }
}
