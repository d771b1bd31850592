using Experiments.Reports.Analysis;
using Experiments.Reports.Formatting;
using Experiments.Reports.Statistics;

namespace Experiments.Reports.Markdown.Tables;

/// <summary>
/// The pivot by family and model: each model over all its passed runs, ranked by score (by the objective when the goal
/// has no score), models without it last; the table shows the first 15.
/// </summary>
internal static class ModelTable
{
    public static ModelEntry[] Rows(SectionAnalysis section)
    {
        var ranked = section.Models;
        var leaderModel = ranked.FirstOrDefault(section.IsLearnt);
        var leader = leaderModel is null ? null : section.RankingOf(leaderModel);
        var leaderRank = Notes.RankOf(ranked, leaderModel);
        var anyInterval = ranked.Any(m => section.RankingOf(m)?.HasInterval == true);
        return ranked
            .Select((m, i) =>
            {
                var stats = m.Stats;
                var learnt = section.IsLearnt(m);
                var note = Notes.For(section.RankingOf(m), learnt, leader, leaderRank, anyInterval, out var withinNoise);
                return new ModelEntry(
                    Rank: i + 1,
                    Family: MarkdownText.Escape(m.Family ?? ReadableFormat.Missing),
                    Model: MarkdownText.Escape(m.Model),
                    Configurations: stats.Configurations,
                    Runs: stats.Runs,
                    Objective: stats.Objective?.Mean,
                    ObjectiveStd: stats.Objective?.StandardDeviation,
                    ObjectiveText: ReadableFormat.MeanAndSpread(stats.Objective?.Mean, stats.Objective?.StandardDeviation),
                    FitTime: stats.FitTime,
                    FitTimeText: ReadableFormat.Duration(stats.FitTime),
                    PeakMemory: stats.PeakMemory,
                    PeakMemoryText: ReadableFormat.Memory(stats.PeakMemory),
                    Score: stats.Score?.Mean,
                    ScoreText: ReadableFormat.MeanAndSpread(stats.Score?.Mean, stats.Score?.StandardDeviation),
                    WithinNoise: withinNoise,
                    Note: note,
                    Weights: stats.Weights ?? ReadableFormat.Missing,
                    Learnt: learnt);
            })
            .ToArray();
    }

    public static string Uncertainty(SectionAnalysis section)
        => Notes.Uncertainty(
            section.Models.Where(section.IsLearnt).Select(section.RankingOf).OfType<SampleSummary>().ToArray(),
            "model",
            Notes.RankOf(section.Models, section.Models.FirstOrDefault(section.IsLearnt)));
}
