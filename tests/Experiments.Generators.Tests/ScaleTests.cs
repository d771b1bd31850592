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
}
