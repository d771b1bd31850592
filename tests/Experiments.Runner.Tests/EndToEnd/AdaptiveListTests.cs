using Experiments.Results;
using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.EndToEnd;

/// <summary>
/// <c>list</c> on a successive-halving experiment (the fixture's <c>HalvingList</c>: Arch a…e, Epochs rungs 1, 3, 9, two
/// repeats): the first rung's trials and the promoted ones the store knows, then a line per rung and the budget.
/// </summary>
public sealed class AdaptiveListTests : IDisposable
{
    private static readonly string[] Archs = ["a", "b", "c", "d", "e"];
    private static readonly int[] Rungs = [1, 3, 9];

    private readonly Workspace _workspace = new();

    public AdaptiveListTests() => _workspace.Environment["FIXTURE_EXTRA_EXPERIMENTS"] = "HalvingList";

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Lists_the_first_rung_then_the_trials_and_budget_of_each_rung()
    {
        var list = await _workspace.RunAsync("list", "--experiment", "HalvingList");

        Assert.True(list.ExitCode == 0, list.ToString());
        // 5 configurations: ⌊5/3⌋ = 1 moves up to epochs=3, ⌊1/3⌋ = 0 to epochs=9. Per repeat, restarting at each rung
        // costs 5·1 + 1·3 = 8 epochs, continuing 5·1 + 1·(3 - 1) = 7; a grid runs all 5 at 9 epochs: 45.
        Assert.Equal(
            [
                "HalvingList:",
                "  pending     a/epochs=1#1  Arch=a Epochs=1",
                "  pending     b/epochs=1#1  Arch=b Epochs=1",
                "  pending     c/epochs=1#1  Arch=c Epochs=1",
                "  pending     d/epochs=1#1  Arch=d Epochs=1",
                "  pending     e/epochs=1#1  Arch=e Epochs=1",
                "  pending     a/epochs=1#2  Arch=a Epochs=1",
                "  pending     b/epochs=1#2  Arch=b Epochs=1",
                "  pending     c/epochs=1#2  Arch=c Epochs=1",
                "  pending     d/epochs=1#2  Arch=d Epochs=1",
                "  pending     e/epochs=1#2  Arch=e Epochs=1",
                "HalvingList: 10 trials (10 pending)",
                "HalvingList: successive halving over epochs, reduction factor 3",
                "  rung 0  epochs=1  at least 5 configurations x 2 repeats = 10 trials",
                "  rung 1  epochs=3  at least 1 configuration x 2 repeats = 2 trials",
                "  rung 2  epochs=9  at least 0 configurations x 2 repeats = 0 trials",
                "  epochs spent: 16 restarting at each rung, 14 continuing from the rung below; a grid: 90 (5 configurations x 2 repeats x 9)",
                "10 trials",
            ],
            list.Lines);
    }

    [Fact]
    public async Task Promoted_trials_the_store_registered_are_listed_in_matrix_order_with_their_status()
    {
        using (var store = _workspace.OpenStore())
        {
            var first = Archs.SelectMany((_, a) => new[] { Planned(a, 0, 1), Planned(a, 0, 2) });
            store.Register(Info(), first.Append(Planned(2, 1, 1)).Append(Planned(2, 1, 2)));
        }

        var list = await _workspace.RunAsync("list", "--experiment", "HalvingList");

        Assert.True(list.ExitCode == 0, list.ToString());
        var rows = list.Lines.Where(l => l.StartsWith("  pending ", StringComparison.Ordinal)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToList();
        Assert.Equal(
            ["a/epochs=1#1", "b/epochs=1#1", "c/epochs=1#1", "c/epochs=3#1", "d/epochs=1#1", "e/epochs=1#1",
             "a/epochs=1#2", "b/epochs=1#2", "c/epochs=1#2", "c/epochs=3#2", "d/epochs=1#2", "e/epochs=1#2"],
            rows);
        Assert.Contains("HalvingList: 12 trials (12 pending)", list.Lines);
        Assert.Equal("12 trials", list.Lines[^1]);
    }

    [Theory]
    // Two configurations: none moves up; a grid runs both at 9 epochs, twice.
    [InlineData("arch=a,b", 4, "  rung 0  epochs=1  at least 2 configurations x 2 repeats = 4 trials",
        "  epochs spent: 4 restarting at each rung, 4 continuing from the rung below; a grid: 36 (2 configurations x 2 repeats x 9)")]
    // One repeat of the 5 configurations.
    [InlineData("*#1", 5, "  rung 1  epochs=3  at least 1 configuration x 1 repeat = 1 trial",
        "  epochs spent: 8 restarting at each rung, 7 continuing from the rung below; a grid: 45 (5 configurations x 1 repeat x 9)")]
    public async Task The_rung_lines_count_the_configurations_and_repeats_of_the_filter(string filter, int trials, string rungLine, string budgetLine)
    {
        var list = await _workspace.RunAsync("list", "--experiment", "HalvingList", "--filter", filter);

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains($"HalvingList: {trials} trials ({trials} pending)", list.Lines);
        Assert.Contains(rungLine, list.Lines);
        Assert.Equal(budgetLine, list.Lines[^2]);
    }

    private static ExperimentInfo Info() => new("HalvingList", 2, "error_rate", Goal.Minimize, 80, 30, 0,
        [new ParameterDefinition("Arch", "arch", "string", true, Archs), new ParameterDefinition("Epochs", "epochs", "int", false, ["1", "3", "9"])],
        [], SearchSettings.SuccessiveHalving("Epochs", 3, Rungs));

    /// <summary>The trial of arch <paramref name="arch"/> at rung <paramref name="rung"/>, with its matrix index (repeat-major, Epochs fastest).</summary>
    private static PlannedTrial Planned(int arch, int rung, int repeat)
        => new($"{Archs[arch]}/epochs={Rungs[rung]}#{repeat}", ((repeat - 1) * 15) + (arch * 3) + rung, repeat,
            [new("Arch", Archs[arch]), new("Epochs", Rungs[rung].ToString(System.Globalization.CultureInfo.InvariantCulture))]);
}
