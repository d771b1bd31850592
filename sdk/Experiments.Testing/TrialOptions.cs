using System.Globalization;
using Microsoft.Testing.Platform.CommandLine;
using Microsoft.Testing.Platform.Extensions;
using Microsoft.Testing.Platform.Extensions.CommandLine;

namespace Experiments.Testing;

/// <summary>
/// The options of <c>run</c> that make sense under <c>dotnet test</c>: <c>--filter</c> (the runner's filter syntax),
/// <c>--rerun</c>, <c>--workers</c>, <c>--device</c>, <c>--experiment</c> and <c>--store</c>.
/// </summary>
internal sealed class TrialOptions : ICommandLineOptionsProvider
{
    public const string Filter = "filter";
    public const string Rerun = "rerun";
    public const string Workers = "workers";
    public const string Device = "device";
    public const string Experiment = "experiment";
    public const string Store = "store";

    public string Uid => "Experiments.Testing.TrialOptions";

    public string Version => typeof(TrialOptions).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    public string DisplayName => "Experiments";

    public string Description => "Runs an experiment project's trials as tests.";

    public Task<bool> IsEnabledAsync() => Task.FromResult(true);

    public IReadOnlyCollection<CommandLineOption> GetCommandLineOptions() =>
    [
        new(Filter, "Trials to run, as `run --filter` selects them: Dataset=moons&Hidden=8,32, LearningRate!=0.5, a trial id pattern.", ArgumentArity.ExactlyOne, false),
        new(Rerun, "Run the selected trials again even if they passed (otherwise a passed trial is reported from the store).", ArgumentArity.Zero, false),
        new(Workers, "Worker processes running trials side by side (default: 1, or one per device given to --device).", ArgumentArity.ExactlyOne, false),
        new(Device, "Device the trials train on (cpu, cuda, cuda:0); a comma-separated list gives each worker its own.", ArgumentArity.ExactlyOne, false),
        new(Experiment, "Run only this experiment of the project.", ArgumentArity.ExactlyOne, false),
        new(Store, "The results store: a SQLite file or a postgres:// location (default: EXPERIMENTS_STORE, else the project's file).", ArgumentArity.ExactlyOne, false),
    ];

    public Task<ValidationResult> ValidateOptionArgumentsAsync(CommandLineOption commandOption, string[] arguments)
        => commandOption.Name == Workers && !(int.TryParse(arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out var workers) && workers >= 1)
            ? ValidationResult.InvalidTask($"--workers takes a whole number of at least 1, not '{arguments[0]}'.")
            : ValidationResult.ValidTask;

    public Task<ValidationResult> ValidateCommandLineOptionsAsync(ICommandLineOptions commandLineOptions) => ValidationResult.ValidTask;
}
