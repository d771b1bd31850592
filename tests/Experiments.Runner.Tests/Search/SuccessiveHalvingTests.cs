using Experiments.Results;

namespace Experiments.Runner.Tests.Search;

public sealed class SuccessiveHalvingTests
{
    private static readonly SearchSettings Halving = SearchSettings.SuccessiveHalving("Epochs", 3, [1, 3, 9]);

    private static TrialRecord Record(string model, int epochs, int repeat, TrialStatus status, double? error = null, int index = 0)
        => new("Halving", $"{model}/epochs={epochs}#{repeat}", index, repeat, [new("Model", model), new("Epochs", epochs.ToString())],
            status, status == TrialStatus.Pending ? 0 : 1, null, null, null, null, null, null, null, null,
            error is { } e ? new Dictionary<string, double> { ["error_rate"] = e } : new Dictionary<string, double>());

    /// <summary>Nine models at the first rung, two repeats each, with these mean errors (m1 … m9), all passed.</summary>
    private static List<TrialRecord> FirstRung(params double[] errors)
        => errors.SelectMany((error, m) => new[]
        {
            Record($"m{m + 1}", 1, 1, TrialStatus.Passed, error - 0.01, m),
            Record($"m{m + 1}", 1, 2, TrialStatus.Passed, error + 0.01, m),
        }).ToList();

    [Theory]
    [InlineData(1, 9, 3, new[] { 1, 3, 9 })]
    [InlineData(1, 10, 3, new[] { 1, 3, 10 })]
    [InlineData(1, 27, 3, new[] { 1, 3, 9, 27 })]
    [InlineData(2, 16, 2, new[] { 2, 4, 8, 16 })]
    [InlineData(3, 3, 3, new[] { 3 })]
    [InlineData(1, 2, 3, new[] { 2 })]
    public void The_rungs_grow_by_the_reduction_factor_and_end_at_the_maximum(int min, int max, int eta, int[] expected)
        => Assert.Equal(expected, RungLadder.Budgets(min, max, eta));

    [Theory]
    [InlineData(0, 9, 3)]
    [InlineData(5, 4, 3)]
    [InlineData(1, 9, 1)]
    public void Impossible_ladders_have_no_rungs(int min, int max, int eta) => Assert.Empty(RungLadder.Budgets(min, max, eta));

    [Fact]
    public void The_best_third_of_the_finished_configurations_moves_up_each_once()
    {
        var records = FirstRung(0.5, 0.4, 0.3, 0.9, 0.8, 0.7, 0.6, 0.2, 0.1);

        var promotions = SuccessiveHalving.Promotions(Halving, "error_rate", Goal.Minimize, records);

        Assert.Equal(["Model=m9", "Model=m8", "Model=m3"], promotions.Select(p => p.Configuration));
        Assert.All(promotions, p => Assert.Equal((0, 1), (p.FromRung, p.ToRung)));
        Assert.All(promotions, p => Assert.Equal([1, 2], p.Repeats));
        Assert.Equal(0.1, promotions[0].Score, 12);

        // Once the promoted configurations have trials one rung up, nothing more moves: not twice, not the fourth.
        records.AddRange(promotions.SelectMany(p => p.Repeats.Select(r => Record(p.Configuration[6..], 3, r, TrialStatus.Pending))));
        Assert.Empty(SuccessiveHalving.Promotions(Halving, "error_rate", Goal.Minimize, records));
    }

    [Fact]
    public void A_configuration_waits_for_all_its_repeats_and_its_score_is_their_mean()
    {
        // m1's second repeat is still running, so only m2, m3 and m4 have finished: the best of those moves up.
        var records = new List<TrialRecord>
        {
            Record("m1", 1, 1, TrialStatus.Passed, 0.01), Record("m1", 1, 2, TrialStatus.Running),
            Record("m2", 1, 1, TrialStatus.Passed, 0.10, 1), Record("m2", 1, 2, TrialStatus.Passed, 0.50, 1), // mean 0.30
            Record("m3", 1, 1, TrialStatus.Passed, 0.25, 2), Record("m3", 1, 2, TrialStatus.Passed, 0.25, 2), // mean 0.25
            Record("m4", 1, 1, TrialStatus.Passed, 0.40, 3), Record("m4", 1, 2, TrialStatus.Passed, 0.40, 3),
        };

        var promotions = SuccessiveHalving.Promotions(Halving, "error_rate", Goal.Minimize, records);

        Assert.Equal("Model=m3", Assert.Single(promotions).Configuration);
        var m1 = SuccessiveHalving.Entries(Halving, "error_rate", records).Single(e => e.Configuration == "Model=m1");
        Assert.False(m1.Finished);
        Assert.Null(m1.Score);
    }

    [Fact]
    public void A_failed_repeat_ranks_its_configuration_last_and_never_promotes_it()
    {
        var records = new List<TrialRecord>
        {
            Record("m1", 1, 1, TrialStatus.Passed, 0.01), Record("m1", 1, 2, TrialStatus.Failed),
            Record("m2", 1, 1, TrialStatus.Passed, 0.30, 1), Record("m2", 1, 2, TrialStatus.Passed, 0.30, 1),
            Record("m3", 1, 1, TrialStatus.Passed, 0.20, 2), Record("m3", 1, 2, TrialStatus.Passed, 0.20, 2),
        };

        Assert.Equal("Model=m3", Assert.Single(SuccessiveHalving.Promotions(Halving, "error_rate", Goal.Minimize, records)).Configuration);

        // With only failed configurations finished, the top third has no score: nothing moves.
        var failedOnly = records.Take(2).Concat([Record("m2", 1, 1, TrialStatus.Failed, index: 1), Record("m2", 1, 2, TrialStatus.Failed, index: 1),
            Record("m3", 1, 1, TrialStatus.Failed, index: 2), Record("m3", 1, 2, TrialStatus.Failed, index: 2)]).ToList();
        Assert.Empty(SuccessiveHalving.Promotions(Halving, "error_rate", Goal.Minimize, failedOnly));
    }

    [Fact]
    public void Maximize_promotes_the_highest_scores_and_ties_go_to_matrix_order()
    {
        var records = FirstRung(0.5, 0.9, 0.9, 0.9, 0.1, 0.2, 0.3, 0.4, 0.6);

        var promotions = SuccessiveHalving.Promotions(Halving, "error_rate", Goal.Maximize, records);

        Assert.Equal(["Model=m2", "Model=m3", "Model=m4"], promotions.Select(p => p.Configuration));
    }

    [Fact]
    public void Every_rung_below_the_top_promotes_and_the_top_rung_does_not()
    {
        var records = FirstRung(0.5, 0.4, 0.3, 0.9, 0.8, 0.7, 0.6, 0.2, 0.1);
        // m9, m8 and m3 finished the second rung; m8 is best there. m9 also reached the top.
        records.AddRange([
            Record("m9", 3, 1, TrialStatus.Passed, 0.09, 8), Record("m9", 3, 2, TrialStatus.Passed, 0.09, 8),
            Record("m8", 3, 1, TrialStatus.Passed, 0.05, 7), Record("m8", 3, 2, TrialStatus.Passed, 0.05, 7),
            Record("m3", 3, 1, TrialStatus.Passed, 0.20, 2), Record("m3", 3, 2, TrialStatus.Passed, 0.20, 2),
            Record("m9", 9, 1, TrialStatus.Passed, 0.01, 8), Record("m9", 9, 2, TrialStatus.Passed, 0.01, 8),
        ]);

        var promotion = Assert.Single(SuccessiveHalving.Promotions(Halving, "error_rate", Goal.Minimize, records));

        Assert.Equal(("Model=m8", 1, 2), (promotion.Configuration, promotion.FromRung, promotion.ToRung));
    }

    [Fact]
    public void Rung_counts_and_budgets_follow_the_ladder()
    {
        Assert.Equal([27, 9, 3], Halving.ConfigurationsPerRung(27));
        Assert.Equal([9, 3, 1], Halving.ConfigurationsPerRung(9));
        // Restarting: 9·1 + 3·3 + 1·9 = 27 of the grid's 81; continuing: 9·1 + 3·2 + 1·6 = 21.
        Assert.Equal(27, Halving.BudgetSpent(Halving.ConfigurationsPerRung(9), continues: false));
        Assert.Equal(21, Halving.BudgetSpent(Halving.ConfigurationsPerRung(9), continues: true));
    }
}
