using Experiments.Reports.Analysis;
using Experiments.Reports.Formatting;

namespace Experiments.Reports.Markdown.Tables;

/// <summary>
/// One formatted row per configuration of a section, with its place on the leaderboard and the score table and its
/// noise notes: the rows the leaderboard, the score table, the Pareto front and the shortlist each select from.
/// </summary>
internal sealed class ConfigurationRows
{
    private readonly Dictionary<ConfigurationStats, LeaderboardEntry> _rows = [];

    public ConfigurationRows(SectionAnalysis section)
    {
        var ranked = section.Ranked;
        var leaderStats = section.Learnt.FirstOrDefault();
        var leader = leaderStats?.Objective;
        var leaderRank = Notes.RankOf(ranked, leaderStats);
        var anyInterval = ranked.Any(c => c.Objective?.HasInterval == true);

        var byScore = section.ByScore;
        var scoreLeaderStats = byScore.FirstOrDefault(section.IsLearnt);
        var scoreLeader = scoreLeaderStats?.Score;
        var scoreLeaderRank = Notes.RankOf(byScore, scoreLeaderStats);
        var anyScoreInterval = byScore.Any(c => c.Score!.HasInterval);
        var scoreRanks = byScore.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i + 1);

        for (var i = 0; i < ranked.Count; i++)
        {
            var c = ranked[i];
            var learnt = section.IsLearnt(c);
            var note = Notes.For(c.Objective, learnt, leader, leaderRank, anyInterval, out var withinNoise);
            var scoreNote = Notes.For(c.Score, learnt, scoreLeader, scoreLeaderRank, anyScoreInterval, out var scoreWithinNoise);
            _rows[c] = new LeaderboardEntry(
                Rank: i + 1,
                ConfigurationId: MarkdownText.Escape(c.Id),
                Configuration: MarkdownText.Escape(c.Label),
                Family: MarkdownText.Escape(c.Family ?? ReadableFormat.Missing),
                Model: MarkdownText.Escape(c.Model ?? string.Empty),
                Runs: c.Runs,
                Objective: c.Objective?.Mean,
                ObjectiveStd: c.Objective?.StandardDeviation,
                ObjectiveLow: c.Objective?.Low,
                ObjectiveHigh: c.Objective?.High,
                ObjectiveText: ReadableFormat.MeanAndSpread(c.Objective?.Mean, c.Objective?.StandardDeviation),
                FitTime: c.FitTime,
                FitTimeText: ReadableFormat.Duration(c.FitTime),
                PeakMemory: c.PeakMemory,
                PeakMemoryText: ReadableFormat.Memory(c.PeakMemory),
                Score: c.Score?.Mean,
                ScoreText: ReadableFormat.MeanAndSpread(c.Score?.Mean, c.Score?.StandardDeviation),
                ScoreRank: scoreRanks.GetValueOrDefault(c),
                WithinNoise: withinNoise,
                Note: note,
                ScoreWithinNoise: scoreWithinNoise,
                ScoreNote: scoreNote,
                Learnt: learnt);
        }
    }

    public LeaderboardEntry[] Of(IEnumerable<ConfigurationStats> configurations) => configurations.Select(c => _rows[c]).ToArray();
}
