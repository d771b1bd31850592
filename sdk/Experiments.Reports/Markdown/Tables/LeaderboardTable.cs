using Experiments.Reports.Analysis;
using Experiments.Reports.Statistics;

namespace Experiments.Reports.Markdown.Tables;

/// <summary>The leaderboard (every configuration by the objective) and the score table (the top 15 by score).</summary>
internal static class LeaderboardTable
{
    /// <summary>How many entries the score table shows.</summary>
    public const int ScoreTableSize = 15;

    public static LeaderboardEntry[] Rows(SectionAnalysis section, ConfigurationRows rows) => rows.Of(section.Ranked);

    public static string Uncertainty(SectionAnalysis section)
        => Notes.Uncertainty(
            section.Learnt.Select(c => c.Objective).OfType<SampleSummary>().ToArray(),
            leaderRank: Notes.RankOf(section.Ranked, section.Learnt.FirstOrDefault()));

    public static LeaderboardEntry[] ScoreRows(SectionAnalysis section, ConfigurationRows rows) => rows.Of(section.ByScore.Take(ScoreTableSize));

    public static string ScoreUncertainty(SectionAnalysis section)
        => Notes.Uncertainty(
            section.ByScore.Where(section.IsLearnt).Select(c => c.Score!).ToArray(),
            leaderRank: Notes.RankOf(section.ByScore, section.ByScore.FirstOrDefault(section.IsLearnt)));
}
