namespace Experiments.Reports.Markdown.Tables;

/// <summary>Each model family's best configuration (from the leaderboard) and how many configurations and runs it has.</summary>
internal static class FamilyTable
{
    public static FamilySummary[] Rows(IReadOnlyList<LeaderboardEntry> leaderboard)
        => leaderboard
            .GroupBy(e => e.Family, StringComparer.Ordinal)
            .Select(g =>
            {
                var best = g.First();
                return new FamilySummary(g.Key, best.Rank, best.Configuration, best.ObjectiveText, g.Count(), g.Sum(e => e.Runs));
            })
            .ToArray();
}
