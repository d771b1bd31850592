using Experiments.Generators.Tests.Infrastructure;

namespace Experiments.Generators.Tests;

/// <summary>A successive-halving declaration as the runner sees it: compiled, loaded and enumerated.</summary>
public sealed class AdaptiveSearchTests
{
    private static ExperimentDefinition Load(string source, out GeneratedAssembly assembly)
    {
        assembly = GeneratedAssembly.Load(GeneratorHarness.Run(source));
        return Assert.Single(assembly.Catalog);
    }

    [Fact]
    public void The_budget_parameter_takes_the_rungs_as_values_and_the_matrix_holds_every_cell()
    {
        var experiment = Load(Declarations.Halving, out var assembly);

        // MatrixSize counts every cell: configurations × rungs × repeats (the runner starts with the first rung's).
        Assert.Equal(Declarations.HalvingSize, assembly.MatrixSize("Demo.Halving"));
        Assert.Equal(Declarations.HalvingSize, experiment.MatrixSize);
        var trials = experiment.Trials.ToList();
        Assert.Equal(Declarations.HalvingSize, trials.Count);

        var epochs = experiment.Parameters[1];
        Assert.Equal(("Epochs", "epochs", "int"), (epochs.Name, epochs.Key, epochs.TypeName));
        Assert.Equal(new[] { "1", "3", "9" }, epochs.Values);
        Assert.Equal("resnet18/epochs=1/lr=0.1#1", trials[0].Id);
        Assert.Equal(1, trials[0].Parameters[1].Value);
        Assert.Equal(Declarations.HalvingConfigurations * 2, trials.Count(t => t.Id.Contains("/epochs=1/", StringComparison.Ordinal)));
        Assert.Equal(Declarations.HalvingConfigurations * 2, trials.Count(t => (int)t.Parameters[1].Value == 9));
    }

    [Fact]
    public void The_definition_carries_the_search_and_finds_a_trial_at_each_rung()
    {
        var experiment = Load(Declarations.Halving, out _);

        Assert.True(experiment.Search.IsAdaptive);
        Assert.Equal(Search.SuccessiveHalving, experiment.Search.Kind);
        Assert.Equal("Epochs", experiment.Search.BudgetParameter);
        Assert.Equal(3, experiment.Search.ReductionFactor);
        Assert.Equal(new[] { 1, 3, 9 }, experiment.Search.Rungs);
        Assert.Equal(9, experiment.Search.MaxBudget);

        var start = experiment.FindTrial("convnext_atto/epochs=1/lr=0.01#2")!;
        Assert.Equal(0, experiment.RungOf(start));
        var top = experiment.AtRung(start, 2)!;
        Assert.Equal("convnext_atto/epochs=9/lr=0.01#2", top.Id);
        Assert.Equal((2, 9), (top.Repeat, (int)top.Parameters[1].Value));
        Assert.Equal(2, experiment.RungOf(top));
        Assert.Equal("convnext_atto/epochs=3/lr=0.01#2", experiment.AtRung(top, 1)!.Id);
        Assert.Equal(start.Id, experiment.AtRung(top, 0)!.Id);
        Assert.Null(experiment.AtRung(start, 3));
        // Every first-rung trial has its configuration at every rung (no rule names the budget).
        foreach (var trial in experiment.Trials.Where(t => experiment.RungOf(t) == 0))
        {
            Assert.Equal(new[] { 1, 3, 9 }, Enumerable.Range(0, 3).Select(k => (int)experiment.AtRung(trial, k)!.Parameters[1].Value));
        }
    }

    [Fact]
    public void A_grid_declaration_searches_the_grid()
    {
        var experiment = Load(Declarations.FineTune, out _);
        Assert.Same(SearchSettings.Grid, experiment.Search);
        Assert.False(experiment.Search.IsAdaptive);
        Assert.Null(experiment.AtRung(experiment.Trials.First(), 0));
    }

    [Fact]
    public void A_non_default_reduction_factor_lays_out_its_own_rungs()
    {
        var source = Sources.Usings + """
            [Experiment(Search = Search.SuccessiveHalving, ReductionFactor = 2)]
            public partial class Steps
            {
                [Values("a", "b", "c", "d")] public partial string Arch { get; }
                [Budget(100, 800)] public partial int Steps2 { get; }
                public Task<TrialResult> RunAsync(TrialContext context) => Task.FromResult(TrialResult.Success());
            }
            """;
        var experiment = Load(source, out var assembly);
        Assert.Equal(new[] { 100, 200, 400, 800 }, experiment.Search.Rungs);
        Assert.Equal(2, experiment.Search.ReductionFactor);
        Assert.Equal(4 * 4, assembly.MatrixSize("Steps"));
        Assert.Equal("a/steps2=100#1", experiment.Trials.First().Id);
    }

    [Theory]
    // Half-typed or broken: the compiler reports these; the generator adds no EXP diagnostic (no EXP028 "no budget")
    // and no code, and does not throw.
    [InlineData("[Budget(1, )] public partial int Epochs { get; }")]
    [InlineData("[Budget(1)] public partial int Epochs { get; }")]
    [InlineData("[Budget(1, \"9\")] public partial int Epochs { get; }")]
    [InlineData("[Budget(1, System.DateTime.Now.Second)] public partial int Epochs { get; }")]
    [InlineData("[Budget(1, 9)] public partial Unknown Epochs { get; }")]
    public void A_broken_budget_attribute_is_left_to_the_compiler(string budget)
    {
        var result = GeneratorHarness.Run(Sources.Experiment("    [Values(\"a\", \"b\", \"c\")] public partial string Arch { get; }\n    " + budget,
            "Search = Search.SuccessiveHalving"));
        result.AssertNoException();
        Assert.Empty(result.ExperimentDiagnostics);
        Assert.NotEmpty(result.OutputErrors);
        Assert.DoesNotContain(result.Sources.Values, s => s.Contains("const int MatrixSize", StringComparison.Ordinal));
    }
}
