using Experiments.Reports.Statistics;
using Experiments.Results;

namespace Experiments.Reports.Model;

/// <summary>The passed runs of one model, every configuration together (before ranking and formatting).</summary>
internal sealed record ModelStats(
    string Model,
    string? Family,
    int Order,
    int Configurations,
    int Runs,
    SampleSummary? Objective,
    double? FitTime,
    double? PeakMemory,
    SampleSummary? Score,
    string? Weights)
{
    public static ModelStats Of(SweepContext context, string model, int order, IReadOnlyList<TrialRecord> runs)
    {
        var fitTimes = runs.Select(SweepContext.FitTimeOf).OfType<double>().ToArray();
        var memories = runs.Select(t => ReportModelBuilder.MetricOf(t, MetricNames.PeakMemory)).OfType<double>().ToArray();
        var scoreConstant = context.Experiment.ScoreConstant;
        return new ModelStats(
            model,
            context.FamilyOf(runs[0]),
            order,
            runs.Select(ReportModelBuilder.ConfigurationIdOf).Distinct(StringComparer.Ordinal).Count(),
            runs.Count,
            SampleSummary.Of(runs.Select(context.ObjectiveOf).OfType<double>()),
            fitTimes.Length > 0 ? fitTimes.Average() : null,
            memories.Length > 0 ? memories.Average() : null,
            context.HasScore
                ? SampleSummary.Of(runs
                    .Select(t => context.ObjectiveOf(t) is { } objective && SweepContext.FitTimeOf(t) is { } fit ? objective * (fit + scoreConstant) : (double?)null)
                    .OfType<double>())
                : null,
            WeightsOf(runs));
    }

    /// <summary>"pretrained", "scratch" or "mixed" from the runs' <c>pretrained</c> metric (1 or 0); null when no run reports it.</summary>
    private static string? WeightsOf(IReadOnlyList<TrialRecord> runs)
    {
        var flags = runs.Select(t => ReportModelBuilder.MetricOf(t, MetricNames.Pretrained)).OfType<double>().Select(v => v != 0).Distinct().ToArray();
        return flags switch
        {
            [] => null,
            [true] => "pretrained",
            [false] => "scratch",
            _ => "mixed",
        };
    }
}
