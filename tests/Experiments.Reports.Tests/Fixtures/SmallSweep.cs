using Experiments.Results;

namespace Experiments.Reports.Tests.Fixtures;

/// <summary>Hand-made experiments with one <c>Model</c> parameter, for tests that check one behaviour each.</summary>
public static class SmallSweep
{
    public static readonly ReportEnvironment Environment = new(
        new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), "test-host", "cpu", "abc123");

    public static ExperimentInfo Experiment(
        Goal goal = Goal.Minimize,
        string objective = "loss",
        IReadOnlyList<ParameterDefinition>? parameters = null,
        int repeats = 3)
        => new("Small", repeats, objective, goal, 80, 9, 0,
            parameters ?? [new ParameterDefinition("Model", "model", "string", true, ["a", "b", "c"])],
            []);

    /// <summary>A passed trial of <c>Model=model</c> (or of the given parameters).</summary>
    public static TrialRecord Passed(
        string model,
        int repeat,
        double objective,
        double fitTime = 10,
        string objectiveName = "loss",
        string? build = "build-1",
        double? peakMemory = null,
        IReadOnlyList<KeyValuePair<string, string>>? parameters = null,
        double? baseline = null)
    {
        var metrics = new Dictionary<string, double> { [objectiveName] = objective, ["fit_time"] = fitTime };
        if (baseline is { } value)
        {
            metrics["baseline_" + objectiveName] = value;
        }
        if (peakMemory is { } memory)
        {
            metrics["peak_memory"] = memory;
        }
        parameters ??= [new("Model", model)];
        var configuration = string.Join('/', parameters.Select(p => p.Value));
        return new TrialRecord(
            "Small", $"{configuration}#{repeat}", 0, repeat, parameters, TrialStatus.Passed, 1, "host:1:s",
            null, null, fitTime + 1, null, build, "abc123", "cpu", metrics);
    }

    public static TrialRecord WithStatus(string model, int repeat, TrialStatus status, string? error = null)
        => new(
            "Small", $"{model}#{repeat}", 0, repeat, [new("Model", model)], status, 1, null,
            null, null, null, error, null, null, null, new Dictionary<string, double>());

    public static ReportInput Input(ExperimentInfo experiment, params TrialRecord[] trials)
        => new(experiment, trials, [], Environment);
}
