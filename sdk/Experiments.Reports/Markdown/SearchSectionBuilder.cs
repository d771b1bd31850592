using System.Globalization;
using Experiments.Reports.Analysis;
using Experiments.Reports.Formatting;

namespace Experiments.Reports.Markdown;

/// <summary>Formats a <see cref="SearchAnalysis"/> as the report's <see cref="SearchSection"/>, and the results sections' rung sentence.</summary>
internal static class SearchSectionBuilder
{
    public static SearchSection Build(SweepContext context, SearchAnalysis search)
    {
        var experiment = context.Experiment;
        var winner = search.Winner;
        double? ratio = search.FullGrid > 0 ? search.Spent / search.FullGrid : null;
        return new SearchSection(
            BudgetParameter: MarkdownText.Escape(search.BudgetParameter),
            ReductionFactor: search.Settings.ReductionFactor,
            RungsText: string.Join(", ", search.Settings.Rungs.Select(b => b.ToString(CultureInfo.InvariantCulture))),
            Configurations: search.Configurations,
            Rungs: search.Rungs
                .Select(r => new RungRow(
                    r.Rung,
                    Budget(search, r.Budget),
                    r.Started,
                    r.Finished,
                    Count(r.Promoted),
                    Count(r.Stopped),
                    r.Unfinished))
                .ToArray(),
            Stopped: search.Rungs
                .Where(r => r.StoppedHere.Count > 0)
                .Select(r => new StoppedAtRung(
                    r.Rung,
                    Budget(search, r.Budget),
                    r.StoppedHere.Count,
                    StoppedList(r.StoppedHere),
                    r.Best is null ? ReadableFormat.Missing : Result(r.Best)))
                .ToArray(),
            BudgetText: string.Create(CultureInfo.InvariantCulture,
                $"{Amount(search.Spent)} of {Amount(search.FullGrid)}{(ratio is { } r ? $" ({Percent(r)})" : string.Empty)}: the finished trials' `{ReportConventions.BudgetSpentMetric}` (else their rung's {MarkdownText.Escape(search.BudgetParameter)}), against a grid's {search.Configurations} configurations × {experiment.Repeats} {(experiment.Repeats == 1 ? "repeat" : "repeats")} × {Budget(search, search.Settings.MaxBudget)}"),
            BudgetRatio: ratio,
            Winner: winner is null ? null : new SearchWinner(
                MarkdownText.Escape(winner.Label),
                winner.Rung,
                Budget(search, winner.Budget),
                winner.Rung == search.Settings.Rungs.Count - 1,
                winner.Objective?.Count ?? 0,
                winner.Objective?.Mean,
                winner.Objective?.StandardDeviation,
                ReadableFormat.MeanAndSpread(winner.Objective?.Mean, winner.Objective?.StandardDeviation)),
            LeaderboardText: "The results below rank configurations only against others trained on the same budget: each "
                + "section's tables compare the configurations at the highest rung with passed trials there (it says which). "
                + "Configurations stopped at a lower rung had less budget, so they are listed here, at the rung they stopped at, and not ranked against those.",
            Grid: search.Grid is null ? null : Compare(search, search.Grid));
    }

    /// <summary>The sentence above a results section's tables in an adaptive search; empty in a grid.</summary>
    public static string SectionText(SectionAnalysis section, SearchAnalysis? search)
    {
        if (search is null || section.Rung is not { } rung || rung < 0)
        {
            return string.Empty;
        }
        var top = rung == search.Settings.Rungs.Count - 1;
        var configurations = section.Configurations.Count;
        return string.Create(CultureInfo.InvariantCulture,
            $"these tables compare the {configurations} {(configurations == 1 ? "configuration" : "configurations")} at rung {rung} ({Budget(search, search.Settings.Rungs[rung])}), {(top ? "the full budget" : "the highest rung reached so far")}; configurations stopped at a lower rung are under *Successive halving*.");
    }

    private static GridComparisonSummary Compare(SearchAnalysis search, GridComparison grid)
    {
        var mine = grid.AdaptiveWinner;
        var inGrid = mine is null ? ReadableFormat.Missing : ReadableFormat.MeanAndSpread(mine.Objective?.Mean, mine.Objective?.StandardDeviation);
        var place = string.Create(CultureInfo.InvariantCulture, $"in the grid it ranks #{grid.AdaptiveWinnerRank} of {grid.Configurations} ({inGrid})");
        var verdict = grid.Verdict switch
        {
            GridVerdict.SameWinner => "The search found the grid's winner.",
            GridVerdict.WithinNoise => $"The search's winner is not the grid's, but within the grid's noise: {place}, and its 95 % confidence interval overlaps the grid winner's.",
            GridVerdict.BeyondNoise => $"The search's winner is not the grid's, and not within the grid's noise: {place}, and its 95 % confidence interval does not overlap the grid winner's.",
            GridVerdict.NoInterval => $"The search's winner is not the grid's: {place}; one of the two has a single passed run there, so the grid's noise cannot tell them apart or not.",
            _ => "The grid has no passed run of the search's winner, so the grid cannot say how it compares.",
        };
        double? ratio = grid.BudgetSpent > 0 ? search.Spent / grid.BudgetSpent : null;
        return new GridComparisonSummary(
            Experiment: MarkdownText.Escape(grid.Experiment),
            GridWinner: MarkdownText.Escape(grid.Winner.Label),
            GridWinnerRuns: grid.Winner.Objective?.Count ?? 0,
            GridWinnerObjectiveText: ReadableFormat.MeanAndSpread(grid.Winner.Objective?.Mean, grid.Winner.Objective?.StandardDeviation),
            AdaptiveWinnerInGridText: inGrid,
            AdaptiveWinnerGridRank: grid.AdaptiveWinnerRank,
            GridConfigurations: grid.Configurations,
            SameWinner: grid.Verdict == GridVerdict.SameWinner,
            WithinNoise: grid.Verdict == GridVerdict.WithinNoise,
            Verdict: verdict,
            BudgetText: string.Create(CultureInfo.InvariantCulture,
                $"the search spent {Amount(search.Spent)}, the grid {Amount(grid.BudgetSpent)}{(ratio is { } r ? $": {Percent(r)} of the grid's budget" : string.Empty)}"));
    }

    /// <summary>How many stopped configurations a rung lists by name: a big search stops hundreds at its first rung.</summary>
    internal const int StoppedListed = 10;

    private static string StoppedList(IReadOnlyList<RungResult> stopped)
    {
        var listed = string.Join(", ", stopped.Take(StoppedListed).Select(Result));
        return stopped.Count > StoppedListed
            ? string.Create(CultureInfo.InvariantCulture, $"{listed} and {stopped.Count - StoppedListed} more")
            : listed;
    }

    private static string Budget(SearchAnalysis search, int budget)
        => MarkdownText.Escape(search.BudgetParameter) + "=" + budget.ToString(CultureInfo.InvariantCulture);

    private static string Result(RungResult result)
        => MarkdownText.Escape(result.Label) + " (" + (result.Score is { } score ? ReadableFormat.Number(score) : "failed") + ")";

    private static string Count(int? count) => count is { } n ? n.ToString(CultureInfo.InvariantCulture) : ReadableFormat.Missing;

    /// <summary>A budget: whole numbers as such (<c>1,296</c>), fractions with four significant digits.</summary>
    private static string Amount(double value)
        => value == Math.Round(value) ? value.ToString("N0", CultureInfo.InvariantCulture) : ReadableFormat.Number(value);

    private static string Percent(double ratio)
        => (ratio * 100).ToString(ratio >= 0.1 ? "0" : "0.#", CultureInfo.InvariantCulture) + " %";
}
