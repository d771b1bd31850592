using Experiments.Generators.Tests.Infrastructure;

namespace Experiments.Generators.Tests;

/// <summary>
/// Build-time cost sanity (not timed): large matrices are counted without being walked, and one far over budget is
/// EXP009 rather than a hang.
/// </summary>
public sealed class ScaleTests
{
    private static string Declaration(int parameters, int values, string arguments, string rules = "")
    {
        var members = string.Join("\n", Enumerable.Range(0, parameters).Select(p =>
            $"    [Values({string.Join(", ", Enumerable.Range(1, values))})] public partial int P{p} {{ get; }}"));
        return Sources.Experiment(members, arguments, rules);
    }

    [Fact]
    public void A_million_trials_generate_with_the_right_matrix_size()
    {
        // 4^10 = 1,048,576 combinations; the rule removes P0=1 with P1=1: 4^8 = 65,536.
        var source = Declaration(10, 4, "MaxTrials = 1_000_000", "[Exclude(nameof(P0), 1, nameof(P1), 1)]");
        var result = GeneratorHarness.Run(source);
        result.AssertCompilesCleanly();
        Assert.Empty(result.Diagnostics);
        var generated = result.Sources["Sweep.Experiments.g.cs"];
        Assert.Contains("public const int MatrixSize = 983040;", generated);
        Assert.Contains("removedByRules: 65536,", generated);

        // The runtime agrees with the constant (first trials only: enumeration is lazy).
        var experiment = Assert.Single(GeneratedAssembly.Load(result).Catalog);
        Assert.Equal(983040, experiment.MatrixSize);
        Assert.Equal("p0=1/p1=2/p2=1/p3=1/p4=1/p5=1/p6=1/p7=1/p8=1/p9=1#1", experiment.Trials.First().Id);
    }

    [Fact]
    public void A_million_trials_with_the_build_property()
    {
        var result = GeneratorHarness.Run(Declaration(6, 10, ""), GeneratorHarness.Properties(("ExperimentsMaxTrials", "1000000")));
        result.AssertCompilesCleanly();
        Assert.Contains("public const int MatrixSize = 1000000;", result.Sources["Sweep.Experiments.g.cs"]);
    }

    [Theory]
    [InlineData(8, 10, "", "")]                                             // 100 million, no rules
    [InlineData(8, 10, "", "[Exclude(nameof(P0), 1, nameof(P7), 1)]")]     // rules on two parameters: counted exactly
    [InlineData(8, 10, "", "[Exclude(nameof(P0), 1, nameof(P1), 1)]\n[Exclude(nameof(P2), 1, nameof(P3), 1)]\n[Exclude(nameof(P4), 1, nameof(P5), 1)]\n[Exclude(nameof(P6), 1, nameof(P7), 1)]")] // rules on every parameter
    [InlineData(30, 10, "Repeats = int.MaxValue", "[Exclude(nameof(P0), 1, nameof(P1), 1)]")] // 10^30 × 2^31: no overflow
    public void Far_over_budget_is_EXP009_not_a_hang(int parameters, int values, string arguments, string rules)
    {
        var result = GeneratorHarness.Run(Declaration(parameters, values, arguments, rules));
        result.AssertNoException();
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("EXP009", diagnostic.Id);
        var trials = long.Parse(diagnostic.GetMessage().Split(" expands to ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(trials > 100_000, diagnostic.GetMessage());
        // The size for the fix that raises MaxTrials (an int): attached only when MaxTrials can hold it.
        Assert.Equal(trials <= int.MaxValue ? trials.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            diagnostic.Properties.GetValueOrDefault("MatrixSize"));
        Assert.DoesNotContain("const int MatrixSize", result.Sources.GetValueOrDefault("Sweep.Experiments.g.cs") ?? "");
    }

    [Fact]
    public void Hundred_million_within_a_raised_budget_is_counted_exactly_without_walking()
    {
        // Rules span all 8 parameters (a walk of 10^8): counted by inclusion–exclusion instead.
        // Kept: (P0,P1,P6,P7) 99·99 − 100 = 9701 (P0=2∧P7=2 on top of the two pair rules), (P2,P3) 99, (P4,P5) 99.
        var rules = "[Exclude(nameof(P0), 1, nameof(P1), 1)]\n[Exclude(nameof(P2), 1, nameof(P3), 1)]\n[Exclude(nameof(P4), 1, nameof(P5), 1)]\n"
            + "[Exclude(nameof(P6), 1, nameof(P7), 1)]\n[Exclude(nameof(P0), 2, nameof(P7), 2)]";
        var result = GeneratorHarness.Run(Declaration(8, 10, "MaxTrials = int.MaxValue", rules));
        result.AssertCompilesCleanly();
        Assert.Empty(result.Diagnostics);
        Assert.Contains($"public const int MatrixSize = {9701 * 99 * 99};", result.Sources["Sweep.Experiments.g.cs"]);
        Assert.Contains($"removedByRules: {100_000_000 - (9701 * 99 * 99)},", result.Sources["Sweep.Experiments.g.cs"]);
    }

    [Fact]
    public void A_billion_trials_are_selected_counted_and_found_by_index_arithmetic()
    {
        // 10^9 combinations minus P0=1 with P1=1 (10^7): the runtime never walks the matrix. A selection that fixes six
        // of the nine parameters is 1,000 combinations, 10 of them excluded; its trials carry their indices in the
        // whole matrix.
        var result = GeneratorHarness.Run(Declaration(9, 10, "MaxTrials = 1_000_000_000", "[Exclude(nameof(P0), 1, nameof(P1), 1)]"));
        result.AssertCompilesCleanly();
        var experiment = Assert.Single(GeneratedAssembly.Load(result).Catalog);
        Assert.Equal(990_000_000, experiment.MatrixSize);
        var everything = MatrixSelection.All(experiment.Parameters);
        Assert.Equal(990_000_000, experiment.CountIn(everything));

        var selection = everything;
        for (var p = 3; p < 9; p++)
        {
            selection = selection.Where(p, v => v == "5");
        }
        Assert.Equal(990, experiment.CountIn(selection));
        var trials = experiment.TrialsIn(selection).ToList();
        Assert.Equal(990, trials.Count);
        Assert.DoesNotContain(trials, t => t.Id.StartsWith("p0=1/p1=1/", StringComparison.Ordinal));
        // p0=1/p1=2/p2=1/p3..p8=5: the 10^7 combinations before it (p0=1/p1=1) are all excluded, so its index is its
        // position in its block of 10^6: 444,444 (value index 4 of each of p3..p8).
        var first = trials.First();
        Assert.Equal("p0=1/p1=2/p2=1/p3=5/p4=5/p5=5/p6=5/p7=5/p8=5#1", first.Id);
        Assert.Equal(444_444, first.Index);
        Assert.Equal("p0=10/p1=10/p2=10/p3=5/p4=5/p5=5/p6=5/p7=5/p8=5#1", trials[^1].Id);
        Assert.Equal(990_000_000 - 555_556, trials[^1].Index);
        Assert.Equal(trials.Select(t => t.Index).Order(), trials.Select(t => t.Index));

        // Found from the id, with the same index; the last trial of the matrix is index MatrixSize − 1.
        Assert.Equal(trials[500].Index, experiment.FindTrial(trials[500].Id)!.Index);
        Assert.Equal(990_000_000 - 1, experiment.FindTrial("p0=10/p1=10/p2=10/p3=10/p4=10/p5=10/p6=10/p7=10/p8=10#1")!.Index);
        Assert.Null(experiment.FindTrial("p0=1/p1=1/p2=10/p3=10/p4=10/p5=10/p6=10/p7=10/p8=10#1"));
    }
}
