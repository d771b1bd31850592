using System.Globalization;
using Experiments.Reports.Analysis;
using Experiments.Reports.Markdown;
using Experiments.Reports.Tests.Fixtures;
using Experiments.Results;

namespace Experiments.Reports.Tests;

/// <summary>The analysis behind an adaptive search's report: rungs, budget, winner, the leaderboard's rung and the grid comparison.</summary>
public sealed class SearchAnalysisTests
{
    [Fact]
    public void Budget_spent_is_budget_spent_where_reported_else_the_trials_budget_over_finished_trials()
    {
        TrialRecord Trial(TrialStatus status, string epochs, double? spent)
            => new("E", $"x/epochs={epochs}#0", 0, 0, [new("Model", "x"), new("Epochs", epochs)], status, 1, null, null, null, null, null, null, null, null,
                spent is { } value ? new Dictionary<string, double> { ["budget_spent"] = value } : new Dictionary<string, double>());

        TrialRecord[] trials =
        [
            Trial(TrialStatus.Passed, "1", null),    // 1: its budget
            Trial(TrialStatus.Passed, "3", 2),       // 2: continued from 1 epoch
            Trial(TrialStatus.Failed, "9", null),    // 9: a failed trial spent its budget too
            Trial(TrialStatus.Passed, "9", 6.5),     // 6.5
            Trial(TrialStatus.Running, "9", null),   // unfinished: nothing yet
            Trial(TrialStatus.Pending, "3", null),
        ];

        Assert.Equal(18.5, SearchAnalysis.BudgetSpent(trials, "Epochs"), 12);
        Assert.Equal(10, SearchAnalysis.BudgetSpent(trials.Where(t => !t.Metrics.ContainsKey("budget_spent")), "Epochs"), 12);
        Assert.Equal(8.5, SearchAnalysis.BudgetSpent(trials.Where(t => t.Metrics.ContainsKey("budget_spent")), "Epochs"), 12);
    }

    [Fact]
    public void The_fixture_spends_42_of_a_grids_162()
    {
        var search = Analyse(AdaptiveSweep.Create());
        // 18 first-rung trials at 1 epoch (no budget_spent) + 6 × 2 + 2 × 6 continued; a grid: 9 × 2 repeats × 9 epochs.
        Assert.Equal(42, search.Spent, 12);
        Assert.Equal(162, search.FullGrid);
        Assert.Equal(9, search.Configurations);
    }

    [Fact]
    public void Rungs_count_started_finished_promoted_stopped_and_unfinished_configurations()
    {
        var rungs = Analyse(AdaptiveSweep.Create(finished: false)).Rungs;

        Assert.Equal([(9, 9, 3, 6, 0), (3, 3, 1, 2, 0)],
            rungs.Take(2).Select(r => (r.Started, r.Finished, r.Promoted!.Value, r.Stopped!.Value, r.Unfinished)));
        Assert.Equal((1, 0, 1), (rungs[2].Started, rungs[2].Finished, rungs[2].Unfinished));
        Assert.Null(rungs[2].Promoted);
        Assert.Equal(["b/lr=0.01", "a/lr=0.01"], rungs[1].StoppedHere.Select(r => r.Label));
        // The configuration with a failed repeat has no score: it stops, last.
        Assert.Equal(("c/lr=0.001", (double?)null), (rungs[0].StoppedHere[^1].Label, rungs[0].StoppedHere[^1].Score));
    }

    [Fact]
    public void The_winner_is_the_best_configuration_at_the_highest_rung_reached()
    {
        var finished = Analyse(AdaptiveSweep.Create(finished: true)).Winner!;
        Assert.Equal(("c/lr=0.01", 2, 9), (finished.Label, finished.Rung, finished.Budget));
        Assert.Equal(0.1445, finished.Objective!.Mean, 12);
        Assert.Equal(2, finished.Objective.Count);

        var running = Analyse(AdaptiveSweep.Create(finished: false)).Winner!;
        Assert.Equal(("c/lr=0.01", 1, 3), (running.Label, running.Rung, running.Budget));
    }

    [Fact]
    public void The_leaderboard_ranks_only_the_configurations_at_the_highest_rung_reached()
    {
        var analysis = ReportAnalysis.Of(AdaptiveSweep.Create(finished: false));
        var section = analysis.Sections.Single();

        Assert.Equal(1, section.Rung);
        Assert.Equal(["c/lr=0.01/epochs=3", "b/lr=0.01/epochs=3", "a/lr=0.01/epochs=3"], section.Ranked.Select(c => c.Label));
        Assert.DoesNotContain(section.Effects, e => e.Name == "Epochs");
        Assert.Contains("rung 1 (epochs=3)", ReportModel.Build(analysis, []).Sections.Single().SearchText);
    }

    [Fact]
    public void A_grid_report_has_no_search_section_and_no_rung()
    {
        var analysis = ReportAnalysis.Of(SyntheticSweep.Create());
        var model = ReportModel.Build(analysis, []);

        Assert.Null(analysis.Search);
        Assert.Null(model.Search);
        Assert.All(analysis.Sections, s => Assert.Null(s.Rung));
        Assert.All(model.Sections, s => Assert.Equal(string.Empty, s.SearchText));
        Assert.DoesNotContain("Successive halving", MarkdownReport.Render(SyntheticSweep.Create()));
    }

    [Fact]
    public void A_grid_over_the_same_parameters_with_the_budget_fixed_at_the_top_rung_matches()
        => Assert.True(GridMatch.Matches(AdaptiveSweep.Experiment, AdaptiveSweep.Grid));

    public static TheoryData<string, ExperimentInfo> NotMatching => new()
    {
        { "budget at a lower rung", AdaptiveSweep.Declaration("G", ["3"], null) },
        { "several budgets", AdaptiveSweep.Declaration("G", ["3", "9"], null) },
        { "other values of another parameter", AdaptiveSweep.Declaration("G", ["9"], null, rates: ["0.1", "0.01"]) },
        { "another objective", AdaptiveSweep.Declaration("G", ["9"], null, objective: "error_rate") },
        { "another goal", AdaptiveSweep.Grid with { Goal = Goal.Maximize } },
        { "no budget parameter", AdaptiveSweep.Grid with { Parameters = AdaptiveSweep.Grid.Parameters.Take(2).ToArray() } },
        { "an extra parameter", AdaptiveSweep.Grid with { Parameters = [.. AdaptiveSweep.Grid.Parameters, new ParameterDefinition("Seed", "seed", "int", false, ["1"])] } },
        { "an adaptive search itself", AdaptiveSweep.Experiment with { Name = "Other" } },
        { "the experiment itself", AdaptiveSweep.Experiment },
    };

    [Theory]
    [MemberData(nameof(NotMatching))]
    public void Other_experiments_do_not_match(string why, ExperimentInfo candidate)
        => Assert.False(GridMatch.Matches(AdaptiveSweep.Experiment, candidate), why);

    [Fact]
    public void Only_an_adaptive_search_matches_grids()
        => Assert.False(GridMatch.Matches(AdaptiveSweep.Grid, AdaptiveSweep.Grid with { Name = "Other" }));

    [Fact]
    public void The_search_winner_within_the_grids_noise_of_the_grids_winner()
    {
        var grid = Analyse(AdaptiveSweep.Create(withGrid: true)).Grid!;

        Assert.Equal(("HalvingGrid", "b/lr=0.01", GridVerdict.WithinNoise, 2, 9), (grid.Experiment, grid.Winner.Label, grid.Verdict, grid.AdaptiveWinnerRank, grid.Configurations));
        Assert.Equal(0.1445, grid.AdaptiveWinner!.Objective!.Mean, 12);
        Assert.Equal(162, grid.BudgetSpent, 12);
    }

    [Theory]
    [InlineData(0.10, nameof(GridVerdict.SameWinner))]
    [InlineData(0.25, nameof(GridVerdict.BeyondNoise))]
    public void The_verdict_uses_the_grids_noise(double searchWinnerLossInGrid, string expected)
    {
        // Every other configuration of the grid at 0.15 ± 0.0028 (95 % interval ± 0.025 over 2 repeats): the search's winner c/lr=0.01 is best, or far behind.
        var trials = AdaptiveSweep.GridTrials(loss: (model, rate) => model == "c" && rate == "0.01" ? searchWinnerLossInGrid : 0.15);
        var input = AdaptiveSweep.Create() with { OtherExperiments = [new StoredExperiment(AdaptiveSweep.Grid, trials)] };

        Assert.Equal(expected, Analyse(input).Grid!.Verdict.ToString());
    }

    [Fact]
    public void A_grid_without_the_search_winner_cannot_judge_it()
    {
        var trials = AdaptiveSweep.GridTrials().Where(t => !t.TrialId.StartsWith("c/lr=0.01/", StringComparison.Ordinal)).ToArray();
        var input = AdaptiveSweep.Create() with { OtherExperiments = [new StoredExperiment(AdaptiveSweep.Grid, trials)] };

        var grid = Analyse(input).Grid!;
        Assert.Equal((GridVerdict.NotInGrid, 0), (grid.Verdict, grid.AdaptiveWinnerRank));
    }

    [Fact]
    public void Experiments_that_do_not_match_are_not_compared()
    {
        var other = AdaptiveSweep.Declaration("Quick", ["1"], null);
        var input = AdaptiveSweep.Create() with
        {
            OtherExperiments = [new StoredExperiment(other, AdaptiveSweep.GridTrials("Quick"))],
        };

        Assert.Null(Analyse(input).Grid);
    }

    [Fact]
    public void The_first_matching_grid_by_name_is_compared()
    {
        var input = AdaptiveSweep.Create() with
        {
            OtherExperiments =
            [
                new StoredExperiment(AdaptiveSweep.Grid with { Name = "Zeta" }, AdaptiveSweep.GridTrials("Zeta")),
                new StoredExperiment(AdaptiveSweep.Grid with { Name = "Alpha" }, AdaptiveSweep.GridTrials("Alpha")),
            ],
        };

        Assert.Equal("Alpha", Analyse(input).Grid!.Experiment);
    }

    [Fact]
    public void A_rung_lists_its_best_ten_stopped_configurations_and_counts_the_rest()
    {
        // 30 configurations at one epoch, 2 repeats; the best 10 (by loss 0.01 × i) move up and are still running.
        var search = SearchSettings.SuccessiveHalving("Epochs", 3, [1, 3]);
        var experiment = new ExperimentInfo("Wide", 2, "loss", Goal.Minimize, 10, 120, 0,
            [
                new ParameterDefinition("Lr", "lr", "int", false, Enumerable.Range(1, 30).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray()),
                new ParameterDefinition("Epochs", "epochs", "int", false, ["1", "3"]),
            ],
            [], search);
        TrialRecord Trial(int lr, int epochs, int repeat, TrialStatus status)
            => new("Wide", $"lr={lr}/epochs={epochs}#{repeat}", repeat * 60 + lr * 2 + (epochs == 3 ? 1 : 0), repeat,
                [new("Lr", lr.ToString(CultureInfo.InvariantCulture)), new("Epochs", epochs.ToString(CultureInfo.InvariantCulture))],
                status, 1, null, null, null, 1, null, null, null, null,
                status == TrialStatus.Passed ? new Dictionary<string, double> { ["loss"] = 0.01 * lr } : new Dictionary<string, double>());
        var trials = Enumerable.Range(0, 2)
            .SelectMany(repeat => Enumerable.Range(1, 30).Select(lr => Trial(lr, 1, repeat, TrialStatus.Passed))
                .Concat(Enumerable.Range(1, 10).Select(lr => Trial(lr, 3, repeat, TrialStatus.Running))))
            .OrderBy(t => t.Index)
            .ToArray();

        var section = ReportModel.Build(new ReportInput(experiment, trials, [], SmallSweep.Environment)).Search!;

        var stopped = Assert.Single(section.Stopped);
        Assert.Equal(20, stopped.Count);
        Assert.StartsWith("lr=11 (0.1100), lr=12 (0.1200), ", stopped.Configurations);
        Assert.EndsWith("lr=20 (0.2000) and 10 more", stopped.Configurations);
        Assert.Equal("lr=1 (0.01000)", stopped.BestText);
        Assert.Equal(("10", "20", 10), (section.Rungs[0].PromotedText, section.Rungs[0].StoppedText, section.Rungs[1].Unfinished));
    }

    private static SearchAnalysis Analyse(ReportInput input) => ReportAnalysis.Of(input).Search!;
}
