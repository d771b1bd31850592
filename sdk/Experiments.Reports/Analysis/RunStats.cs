using Experiments.Reports.Statistics;
using Experiments.Results;

namespace Experiments.Reports.Analysis;

/// <summary>
/// A set of passed runs summarised: the one computation behind a configuration's repeats, a model's runs over every
/// configuration and the scatter plot's model means.
/// </summary>
/// <param name="Runs">How many runs.</param>
/// <param name="Configurations">How many configurations they belong to.</param>
/// <param name="Objective">The objective over the runs that report it.</param>
/// <param name="FitTime">Mean fit time over the runs that have one.</param>
/// <param name="PeakMemory">Mean peak memory over the runs that report it.</param>
/// <param name="Score">objective × (fit time + constant) per run, for minimised objectives.</param>
/// <param name="Weights">"pretrained", "scratch" or "mixed" from the runs' <c>pretrained</c> metric; null when none reports it.</param>
internal sealed record RunStats(
    int Runs,
    int Configurations,
    SampleSummary? Objective,
    double? FitTime,
    double? PeakMemory,
    SampleSummary? Score,
    string? Weights)
{
    public static RunStats Of(SweepContext context, IReadOnlyList<TrialRecord> runs)
    {
        var fitTimes = runs.Select(ReportConventions.FitTimeOf).OfType<double>().ToArray();
        var memories = runs.Select(ReportConventions.PeakMemoryOf).OfType<double>().ToArray();
        var scoreConstant = context.Experiment.ScoreConstant;
        return new RunStats(
            runs.Count,
            runs.Select(SweepContext.ConfigurationIdOf).Distinct(StringComparer.Ordinal).Count(),
            SampleSummary.Of(runs.Select(context.ObjectiveOf).OfType<double>()),
            fitTimes.Length > 0 ? fitTimes.Average() : null,
            memories.Length > 0 ? memories.Average() : null,
            context.HasScore
                ? SampleSummary.Of(runs
                    .Select(t => context.ObjectiveOf(t) is { } objective && ReportConventions.FitTimeOf(t) is { } fit
                        ? objective * (fit + scoreConstant)
                        : (double?)null)
                    .OfType<double>())
                : null,
            WeightsOf(runs));
    }

    private static string? WeightsOf(IReadOnlyList<TrialRecord> runs)
        => runs.Select(ReportConventions.PretrainedOf).OfType<bool>().Distinct().ToArray() switch
        {
            [] => null,
            [true] => "pretrained",
            [false] => "scratch",
            _ => "mixed",
        };
}

/// <summary>One configuration (parameter combination) over its passed repeats.</summary>
/// <param name="Id">The configuration id (the trial id without <c>#repeat</c>).</param>
/// <param name="Order">Its place among the section's configurations as the store lists them (matrix order).</param>
/// <param name="Label">Its parameters as the id writes them, without the section's dataset.</param>
/// <param name="Family">Its model's family (catalog metadata), when the experiment has a model parameter.</param>
/// <param name="Model">Its model (the value of the parameter with family metadata).</param>
/// <param name="First">Its first passed repeat (for its parameter values).</param>
/// <param name="Stats">Its repeats summarised.</param>
internal sealed record ConfigurationStats(string Id, int Order, string Label, string? Family, string? Model, TrialRecord First, RunStats Stats)
{
    public SampleSummary? Objective => Stats.Objective;
    public double? FitTime => Stats.FitTime;
    public double? PeakMemory => Stats.PeakMemory;
    public SampleSummary? Score => Stats.Score;
    public int Runs => Stats.Runs;
}

/// <summary>One model (a value of the family parameter) over all its passed runs, every configuration together.</summary>
internal sealed record ModelStats(string Model, string? Family, int Order, RunStats Stats)
{
    public SampleSummary? Objective => Stats.Objective;
}
