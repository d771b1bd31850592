using Experiments.Reports.Statistics;
using Experiments.Results;

namespace Experiments.Reports.Analysis;

/// <summary>
/// The trivial baseline of a section's objective — what a predictor that ignores the input scores — from the
/// <c>baseline_{objective}</c> metric its trials report (<see cref="MetricNames.BaselineOf"/>). A configuration is
/// <em>learnt</em> when it is better than the baseline beyond the noise of its repeats: its whole 95 % interval lies on
/// the better side (with a single run, its value does). Not-learnt configurations are shown but take no part in the
/// report's claims: the noise comparisons with #1, the Pareto front and the shortlist.
/// </summary>
internal sealed record Baseline(double Value, double Low, double High, bool Minimize)
{
    /// <summary>The section's baseline (mean over its trials, which normally agree); null when no trial reports one.</summary>
    public static Baseline? Of(SweepContext context, IReadOnlyList<TrialRecord> passed)
    {
        var values = passed.Select(t => ReportConventions.BaselineOf(t, context.Experiment.Objective)).OfType<double>().ToArray();
        return values.Length == 0 ? null : new Baseline(values.Average(), values.Min(), values.Max(), context.Minimize);
    }

    /// <summary>Whether <paramref name="summary"/> beats the baseline beyond noise (see <see cref="Baseline"/>).</summary>
    public bool IsBeatenBy(SampleSummary? summary)
    {
        if (summary is null)
        {
            return false;
        }
        var (low, high) = summary.HasInterval ? (summary.Low!.Value, summary.High!.Value) : (summary.Mean, summary.Mean);
        return Minimize ? high < Value : low > Value;
    }
}
