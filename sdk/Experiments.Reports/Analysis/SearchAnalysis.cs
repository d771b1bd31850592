using System.Globalization;
using Experiments.Reports.Statistics;
using Experiments.Results;

namespace Experiments.Reports.Analysis;

/// <summary>One configuration's result at one rung: its score is the mean objective over its repeats (null when one failed).</summary>
internal sealed record RungResult(string Configuration, string Label, double? Score, bool Promoted);

/// <summary>
/// One rung of an adaptive search: how many configurations started there, finished, moved up to the next rung
/// (<see cref="Promoted"/>) and finished without moving up (<see cref="Stopped"/>, listed best first in
/// <see cref="StoppedHere"/>); both null at the top rung, which has no next. <see cref="Best"/> is its best finished result.
/// </summary>
internal sealed record RungStats(
    int Rung, int Budget, int Started, int Finished, int? Promoted, int? Stopped, IReadOnlyList<RungResult> StoppedHere, RungResult? Best)
{
    public int Unfinished => Started - Finished;
}

/// <summary>A configuration over its passed repeats at one budget: a search's or a grid's winner.</summary>
internal sealed record ConfigurationResult(string Configuration, string Label, int Rung, int Budget, SampleSummary? Objective);

/// <summary>How the adaptive winner fares in a matching grid (<see cref="GridMatch"/>).</summary>
internal enum GridVerdict
{
    /// <summary>It is the grid's winner too.</summary>
    SameWinner,

    /// <summary>The grid's 95 % intervals of the two overlap: the grid cannot tell them apart.</summary>
    WithinNoise,

    /// <summary>The grid's winner beats it beyond the noise of the grid's repeats.</summary>
    BeyondNoise,

    /// <summary>One of the two has a single passed run in the grid, so there is no interval to compare.</summary>
    NoInterval,

    /// <summary>The grid has no passed run of it.</summary>
    NotInGrid,
}

/// <summary>The comparison of an adaptive search's winner with a matching grid's.</summary>
/// <param name="Experiment">The grid experiment's name.</param>
/// <param name="Winner">The grid's best configuration by mean objective.</param>
/// <param name="AdaptiveWinner">The adaptive winner's configuration as the grid ran it; null when the grid has no passed run of it.</param>
/// <param name="AdaptiveWinnerRank">Its place in the grid's ranking (1-based); 0 when absent.</param>
/// <param name="Configurations">How many configurations of the grid have the objective.</param>
/// <param name="Verdict">How the adaptive winner fares in the grid.</param>
/// <param name="BudgetSpent">What the grid's finished trials spent (see <see cref="SearchAnalysis.BudgetSpent"/>).</param>
internal sealed record GridComparison(
    string Experiment, ConfigurationResult Winner, ConfigurationResult? AdaptiveWinner, int AdaptiveWinnerRank, int Configurations,
    GridVerdict Verdict, double BudgetSpent);

/// <summary>
/// What an adaptive search (successive halving) did, from the store's records alone: per rung, the configurations that
/// started, finished, moved up and stopped there; the budget its finished trials spent against a grid's; its winner (the
/// best configuration at the highest rung reached); and, when the store holds a matching grid, how the two winners compare.
/// </summary>
internal sealed class SearchAnalysis
{
    private SearchAnalysis(SweepContext context, IReadOnlyList<TrialRecord> trials, IReadOnlyList<StoredExperiment> others)
    {
        var experiment = context.Experiment;
        Settings = context.Search;
        var budget = Settings.BudgetParameter!;
        BudgetParameter = experiment.Parameters.FirstOrDefault(p => string.Equals(p.Name, budget, StringComparison.Ordinal))?.Key ?? budget;
        var labels = LabelsOf(context, trials, budget);
        var entries = SuccessiveHalving.Entries(Settings, experiment.Objective, trials);
        var present = entries.Select(e => (e.Configuration, e.Rung)).ToHashSet();
        var top = Settings.Rungs.Count - 1;
        RungResult ResultOf(SuccessiveHalving.RungEntry e)
            => new(e.Configuration, labels[e.Configuration], e.Score, present.Contains((e.Configuration, e.Rung + 1)));

        Rungs = Enumerable.Range(0, Settings.Rungs.Count)
            .Select(rung =>
            {
                var atRung = entries.Where(e => e.Rung == rung).ToArray();
                var finished = SuccessiveHalving.Ranked(atRung.Where(e => e.Finished), experiment.Goal).Select(ResultOf).ToArray();
                var stopped = rung < top ? finished.Where(r => !r.Promoted).ToArray() : [];
                return new RungStats(
                    rung,
                    Settings.Rungs[rung],
                    atRung.Length,
                    finished.Length,
                    rung < top ? finished.Count(r => r.Promoted) : null,
                    rung < top ? stopped.Length : null,
                    stopped,
                    finished.FirstOrDefault(r => r.Score is not null));
            })
            .ToArray();
        Configurations = labels.Count;
        Spent = BudgetSpent(trials, budget);
        FullGrid = (long)Configurations * experiment.Repeats * Settings.MaxBudget;

        if (Rungs.LastOrDefault(r => r.Best is not null) is { Best: { } best } reached)
        {
            Winner = ResultAt(context, trials, budget, best.Configuration, best.Label, reached.Rung, reached.Budget);
        }
        Grid = Winner is null ? null : CompareWithGrid(context, others, Winner);
    }

    public SearchSettings Settings { get; }

    /// <summary>The budget parameter as trial ids write it (its key, e.g. <c>epochs</c>).</summary>
    public string BudgetParameter { get; }

    public IReadOnlyList<RungStats> Rungs { get; }

    /// <summary>How many configurations (parameter values other than the budget) the store holds trials of.</summary>
    public int Configurations { get; }

    /// <summary>What the finished trials spent (see <see cref="BudgetSpent"/>).</summary>
    public double Spent { get; }

    /// <summary>What a grid spends: every configuration × repeats × the top rung's budget.</summary>
    public long FullGrid { get; }

    /// <summary>The best configuration at the highest rung any configuration finished with a score; null before that.</summary>
    public ConfigurationResult? Winner { get; }

    /// <summary>The comparison with the first matching grid by name (<see cref="GridMatch"/>); null without one or without a winner.</summary>
    public GridComparison? Grid { get; }

    /// <summary>The analysis of an adaptive experiment; null for a grid.</summary>
    public static SearchAnalysis? Of(SweepContext context, IReadOnlyList<TrialRecord> trials, IReadOnlyList<StoredExperiment> others)
        => context.Search.IsAdaptive && context.Search.BudgetParameter is not null ? new SearchAnalysis(context, trials, others) : null;

    /// <summary>
    /// The budget the finished (passed or failed) trials spent: each one's <c>budget_spent</c> metric when it reports one
    /// (a trial that continued from the rung below reports only what it added), else its value of
    /// <paramref name="budgetParameter"/> (its rung's budget). Trials whose budget value is not a number add nothing.
    /// </summary>
    public static double BudgetSpent(IEnumerable<TrialRecord> trials, string budgetParameter)
        => trials
            .Where(t => t.Status is TrialStatus.Passed or TrialStatus.Failed)
            .Sum(t => ReportConventions.MetricOf(t, ReportConventions.BudgetSpentMetric)
                ?? (double.TryParse(t.Parameter(budgetParameter), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0));

    /// <summary>Each configuration key (<see cref="SuccessiveHalving.ConfigurationOf"/>) with its label, as its first trial writes it.</summary>
    private static Dictionary<string, string> LabelsOf(SweepContext context, IReadOnlyList<TrialRecord> trials, string budget)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var trial in trials)
        {
            labels.TryAdd(SuccessiveHalving.ConfigurationOf(trial.Parameters, budget), context.LabelWithout(trial, budget));
        }
        return labels;
    }

    private static ConfigurationResult ResultAt(
        SweepContext context, IEnumerable<TrialRecord> trials, string budget, string configuration, string label, int rung, int budgetValue)
    {
        var display = budgetValue.ToString(CultureInfo.InvariantCulture);
        var objective = SampleSummary.Of(trials
            .Where(t => t.Status == TrialStatus.Passed
                        && string.Equals(t.Parameter(budget), display, StringComparison.Ordinal)
                        && string.Equals(SuccessiveHalving.ConfigurationOf(t.Parameters, budget), configuration, StringComparison.Ordinal))
            .Select(context.ObjectiveOf)
            .OfType<double>());
        return new ConfigurationResult(configuration, label, rung, budgetValue, objective);
    }

    private static GridComparison? CompareWithGrid(SweepContext context, IReadOnlyList<StoredExperiment> others, ConfigurationResult winner)
    {
        var grid = others
            .Where(o => GridMatch.Matches(context.Experiment, o.Experiment))
            .OrderBy(o => o.Experiment.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (grid is null)
        {
            return null;
        }
        var budget = context.Search.BudgetParameter!;
        var gridContext = new SweepContext(grid.Experiment);
        var ranked = grid.Trials
            .Where(t => t.Status == TrialStatus.Passed)
            .GroupBy(t => SuccessiveHalving.ConfigurationOf(t.Parameters, budget), StringComparer.Ordinal)
            .Select((g, order) => (Order: order, Result: new ConfigurationResult(
                g.Key, gridContext.LabelWithout(g.First(), budget), 0, context.Search.MaxBudget,
                SampleSummary.Of(g.Select(gridContext.ObjectiveOf).OfType<double>()))))
            .Where(x => x.Result.Objective is not null)
            .OrderBy(x => gridContext.Quality(x.Result.Objective!))
            .ThenBy(x => x.Order)
            .Select(x => x.Result)
            .ToArray();
        if (ranked.Length == 0)
        {
            return null;
        }
        var best = ranked[0];
        var index = Array.FindIndex(ranked, r => string.Equals(r.Configuration, winner.Configuration, StringComparison.Ordinal));
        var mine = index >= 0 ? ranked[index] : null;
        var verdict = mine is null ? GridVerdict.NotInGrid
            : ReferenceEquals(mine, best) ? GridVerdict.SameWinner
            : !mine.Objective!.HasInterval || !best.Objective!.HasInterval ? GridVerdict.NoInterval
            // The report's noise comparison between configurations: overlapping 95 % intervals of the mean.
            : mine.Objective.Overlaps(best.Objective) ? GridVerdict.WithinNoise
            : GridVerdict.BeyondNoise;
        return new GridComparison(grid.Experiment.Name, best, mine, index + 1, ranked.Length, verdict, BudgetSpent(grid.Trials, budget));
    }
}
