using System.CommandLine;
using Experiments.Runner.Cli;

namespace Experiments.Runner;

/// <summary>
/// The entry point of an experiment project: the generated <c>Main</c> passes its arguments and the project's
/// experiments, e.g. <c>return await ExperimentApp.RunAsync(args, ExperimentRegistry.All);</c>.
/// Commands: <c>list</c>, <c>run</c> (the default), <c>report</c>, <c>export csv</c>, <c>data list</c>, <c>data fetch</c>,
/// <c>merge</c>, <c>deploy slurm</c>, <c>deploy kubernetes</c>.
/// </summary>
public static class ExperimentApp
{
    public static Task<int> RunAsync(string[] args, IReadOnlyList<ExperimentDefinition> experiments)
        => RunAsync(args, experiments, ProjectSettings.FromEntryAssembly());

    internal static async Task<int> RunAsync(string[] args, IReadOnlyList<ExperimentDefinition> experiments, ProjectSettings settings)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(experiments);

        // `dotnet run` with no arguments runs the sweep, as `dotnet test` runs the tests.
        var effective = args.Length == 0 ? ["run"] : args;
        var parsed = RunnerCommandLine.Create(experiments, settings).Parse(effective);

        // Signals are ours during `run` (stop claiming, interrupt, summarize), not System.CommandLine's.
        var exitCode = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);

        // A usage mistake exits 2, like the errors the commands find themselves; 1 means failed trials, 3 a store error.
        return parsed.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
    }
}
