using Experiments.Reports.Statistics;
using Experiments.Results;

namespace Experiments.Reports.Model;

/// <summary>The passed repeats of one configuration, summarised (before ranking and formatting).</summary>
internal sealed record ConfigurationStats(
    string Id,
    int Order,
    string Label,
    string? Family,
    string? Model,
    int Runs,
    SampleSummary? Objective,
    double? FitTime,
    double? PeakMemory,
    SampleSummary? Score)
{
    public static ConfigurationStats Of(SweepContext context, string id, int order, IReadOnlyList<TrialRecord> repeats)
    {
        var first = repeats[0];
        var fitTimes = repeats.Select(SweepContext.FitTimeOf).OfType<double>().ToArray();
        var memories = repeats.Select(t => ReportModelBuilder.MetricOf(t, MetricNames.PeakMemory)).OfType<double>().ToArray();
        var scoreConstant = context.Experiment.ScoreConstant;
        var scores = context.HasScore
            ? repeats
                .Select(t => context.ObjectiveOf(t) is { } objective && SweepContext.FitTimeOf(t) is { } fit
                    ? objective * (fit + scoreConstant)
                    : (double?)null)
                .OfType<double>()
            : [];

        return new ConfigurationStats(
            id,
            order,
            context.LabelOf(first),
            context.FamilyOf(first),
            context.ModelOf(first),
            repeats.Count,
            SampleSummary.Of(repeats.Select(context.ObjectiveOf).OfType<double>()),
            fitTimes.Length > 0 ? fitTimes.Average() : null,
            memories.Length > 0 ? memories.Average() : null,
            SampleSummary.Of(scores));
    }
}
