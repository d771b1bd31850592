using System.Globalization;
using Experiments.Reports.Analysis;
using Experiments.Reports.Formatting;
using Experiments.Results;

namespace Experiments.Reports.Markdown;

/// <summary>The sentences of a data set section: what it trained on, its baseline, what was learnt, the plot's caption.</summary>
internal static class SectionText
{
    /// <summary>
    /// What the section's trials trained and validated on, from the <c>train_images</c>, <c>valid_images</c> and
    /// <c>data_sample</c> metrics (e.g. "1,000 training and 200 validation images, a packaged sample"); empty when no
    /// trial reports them. Counts that differ between trials are given as a range.
    /// </summary>
    public static string DataText(IReadOnlyList<TrialRecord> passed)
    {
        static string Count(IReadOnlyList<TrialRecord> trials, string metric)
        {
            var values = trials.Select(t => ReportConventions.MetricOf(t, metric)).OfType<double>().ToArray();
            if (values.Length == 0)
            {
                return string.Empty;
            }
            var (low, high) = (values.Min(), values.Max());
            return low == high
                ? low.ToString("N0", CultureInfo.InvariantCulture)
                : $"{low.ToString("N0", CultureInfo.InvariantCulture)}–{high.ToString("N0", CultureInfo.InvariantCulture)}";
        }
        var train = Count(passed, MetricNames.TrainImages);
        var valid = Count(passed, MetricNames.ValidImages);
        if (train.Length == 0 && valid.Length == 0)
        {
            return string.Empty;
        }
        var parts = new List<string>();
        if (train.Length > 0)
        {
            parts.Add($"{train} training");
        }
        if (valid.Length > 0)
        {
            parts.Add($"{valid} validation");
        }
        var text = string.Join(" and ", parts) + " images";
        var samples = passed.Select(t => ReportConventions.MetricOf(t, MetricNames.DataSample)).OfType<double>().Select(v => v != 0).Distinct().ToArray();
        return text + samples switch
        {
            [true] => ", a packaged sample of the full data set",
            [false] => ", from the full data set",
            [_, _] => ", some trials on a packaged sample and some on the full data set",
            _ => string.Empty,
        };
    }

    /// <summary>
    /// The wall-clock budget of the section's fits, from the <c>fit_budget</c> metric (e.g. "2m 00s per fit"); a range
    /// when it differs between trials, and how many runs had none when only some did; empty when no trial reports one.
    /// </summary>
    public static string BudgetText(IReadOnlyList<TrialRecord> passed)
    {
        var values = passed.Select(t => ReportConventions.MetricOf(t, MetricNames.FitBudget)).OfType<double>().ToArray();
        if (values.Length == 0)
        {
            return string.Empty;
        }
        var (low, high) = (values.Min(), values.Max());
        var text = (low == high ? ReadableFormat.Duration(low) : $"{ReadableFormat.Duration(low)}–{ReadableFormat.Duration(high)}") + " per fit";
        var without = passed.Count - values.Length;
        return without == 0 ? text : $"{text} ({without} of {passed.Count} runs without one)";
    }

    public static string BaselineText(Baseline baseline)
        => ReadableFormat.Number(baseline.Value)
           + (baseline.High - baseline.Low > 1e-12 * Math.Max(1, Math.Abs(baseline.Value))
               ? $" (from {ReadableFormat.Number(baseline.Low)} to {ReadableFormat.Number(baseline.High)} over the trials)"
               : string.Empty);

    /// <summary>How many configurations beat the baseline, and what happens to those that do not.</summary>
    public static string LearntSentence(SweepContext context, int configurations, int learnt)
    {
        var better = context.Minimize ? "lower" : "higher";
        return (configurations - learnt, learnt) switch
        {
            (0, _) => $"Every configuration is {better} than the baseline beyond the noise of its repeats.",
            (_, 0) => $"No configuration is {better} than the baseline beyond the noise of its repeats: nothing was learnt here, so this section makes no ranking claims (no noise comparison, Pareto front or shortlist).",
            (var notLearnt, _) => $"{notLearnt} of {configurations} configurations are not {better} than the baseline beyond the noise of their repeats (*not learnt*): they are listed but take no part in the noise comparisons, the Pareto front or the shortlist.",
        };
    }

    /// <summary>The link to a section's scatter plot, with a caption that says what its marks are.</summary>
    public static PlotImage? Image(SectionAnalysis section, ReportPlot plot)
    {
        if (section.Scatter is not { } data)
        {
            return null;
        }

        var objective = MarkdownText.Escape(data.Objective);
        var marks = data.Grouping switch
        {
            ScatterGrouping.Family =>
                $"One colour per model family (the catalog's family of each {MarkdownText.Escape(data.GroupedBy)}); the larger markers, joined fastest first, are each model's mean over all its passed runs; the small dots are its configurations (mean over their repeats)",
            ScatterGrouping.Parameter =>
                $"One colour and line per {MarkdownText.Escape(data.GroupedBy)}; each point is a configuration (mean over its repeats), joined fastest first",
            _ => "Each point is a configuration (mean over its repeats)",
        };
        var caption = $"Fit time (s) against {objective}. {marks}. The ring marks #1 of the leaderboard"
            + (data.ParetoFront.Count > 1 ? "; the dashed line is the Pareto front" : "")
            + (data.Baseline is not { } baseline ? "."
                : data.BaselineInView ? "; the dotted red line is the baseline."
                : $"; the baseline ({ReadableFormat.Number(baseline)}) is far from every point and not drawn.");
        var path = string.Join('/', plot.FileName.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));
        return new PlotImage(path, MarkdownText.Escape(plot.Title), caption);
    }
}
