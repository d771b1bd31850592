namespace Experiments.Reports.Markdown;

/// <summary>
/// The <em>Successive halving</em> section of an adaptive search's report (null in a grid's): the rung table, the
/// configurations stopped at each rung, the budget spent against a grid's, the winner and the leaderboard's rung, and
/// the comparison with a matching grid of the same store when there is one. Text is escaped Markdown.
/// </summary>
/// <param name="BudgetParameter">The budget parameter as ids write it (<c>epochs</c>).</param>
/// <param name="ReductionFactor">η: one configuration in η moves up a rung.</param>
/// <param name="RungsText">The rung budgets, <c>1, 3, 9</c>.</param>
/// <param name="Configurations">How many configurations the search started.</param>
/// <param name="Rungs">One row per rung, from the first.</param>
/// <param name="Stopped">The rungs where configurations stopped, with them.</param>
/// <param name="BudgetText">The budget spent against a grid's, with the ratio.</param>
/// <param name="BudgetRatio">Spent ÷ a grid's budget; null when a grid's budget is zero.</param>
/// <param name="Winner">The best configuration at the highest rung reached; null before any configuration finished.</param>
/// <param name="LeaderboardText">Which rung the results tables compare, and why.</param>
/// <param name="Grid">The comparison with a matching grid; null without one.</param>
public sealed record SearchSection(
    string BudgetParameter,
    int ReductionFactor,
    string RungsText,
    int Configurations,
    IReadOnlyList<RungRow> Rungs,
    IReadOnlyList<StoppedAtRung> Stopped,
    string BudgetText,
    double? BudgetRatio,
    SearchWinner? Winner,
    string LeaderboardText,
    GridComparisonSummary? Grid);

/// <summary>
/// One rung: configurations that started there, finished, moved up (<c>PromotedText</c>), finished without moving up
/// (<c>StoppedText</c>; both <c>—</c> at the top rung) and are still running or pending.
/// </summary>
public sealed record RungRow(int Rung, string Budget, int Started, int Finished, string PromotedText, string StoppedText, int Unfinished);

/// <summary>The configurations stopped at one rung, best first with their scores, and the rung's best result.</summary>
public sealed record StoppedAtRung(int Rung, string Budget, int Count, string Configurations, string BestText);

/// <summary>The search's winner: its configuration, the rung it won at, and its objective over its repeats there.</summary>
public sealed record SearchWinner(string Configuration, int Rung, string Budget, bool TopRung, int Runs, double? Objective, double? ObjectiveStd, string ObjectiveText);

/// <summary>
/// The search's winner against a matching grid's (same parameters, the budget fixed at the top rung): each winner's
/// objective, where the grid ranks the search's winner, and the verdict sentence.
/// </summary>
public sealed record GridComparisonSummary(
    string Experiment,
    string GridWinner,
    int GridWinnerRuns,
    string GridWinnerObjectiveText,
    string AdaptiveWinnerInGridText,
    int AdaptiveWinnerGridRank,
    int GridConfigurations,
    bool SameWinner,
    bool WithinNoise,
    string Verdict,
    string BudgetText);
