using System.Globalization;
using Experiments.Results;

namespace Experiments.Reports.Tests.Fixtures;

/// <summary>
/// A fixed successive-halving search: 3 models × 3 learning rates × Epochs 1, 3, 9 (η = 3) × 2 repeats. All 9
/// configurations ran 1 epoch (one repeat of c/lr=0.001 failed); the best 3 went on to 3 epochs (continuing, so they
/// report <c>budget_spent</c> = 2) and the best of those, c/lr=0.01, to 9 (<c>budget_spent</c> = 6). The matching grid
/// ran every configuration at 9 epochs; its winner is b/lr=0.01, within noise of c/lr=0.01.
/// </summary>
public static class AdaptiveSweep
{
    public static readonly ReportEnvironment Environment = new(
        new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero), "lab-02", "cuda:0", "5e6f7a8");

    private static readonly string[] Models = ["a", "b", "c"];
    private static readonly string[] Rates = ["0.1", "0.01", "0.001"];
    private static readonly int[] Rungs = [1, 3, 9];
    private static readonly double[] Noise = [0.002, -0.002];

    /// <summary>Mean loss of each configuration at each budget it runs at (the search's and the grid's).</summary>
    private static readonly Dictionary<(string Model, string Rate, int Epochs), double> Loss = new()
    {
        [("a", "0.1", 1)] = 0.300, [("a", "0.01", 1)] = 0.250, [("a", "0.001", 1)] = 0.400,
        [("b", "0.1", 1)] = 0.280, [("b", "0.01", 1)] = 0.220, [("b", "0.001", 1)] = 0.380,
        [("c", "0.1", 1)] = 0.350, [("c", "0.01", 1)] = 0.240, [("c", "0.001", 1)] = 0.450,
        [("a", "0.01", 3)] = 0.200, [("b", "0.01", 3)] = 0.176, [("c", "0.01", 3)] = 0.168,
        [("a", "0.1", 9)] = 0.210, [("a", "0.01", 9)] = 0.160, [("a", "0.001", 9)] = 0.300,
        [("b", "0.1", 9)] = 0.190, [("b", "0.01", 9)] = 0.1430, [("b", "0.001", 9)] = 0.280,
        [("c", "0.1", 9)] = 0.240, [("c", "0.01", 9)] = 0.1445, [("c", "0.001", 9)] = 0.330,
    };

    private static readonly (string Model, string Rate)[] PromotedToRung1 = [("a", "0.01"), ("b", "0.01"), ("c", "0.01")];
    private static readonly (string Model, string Rate) PromotedToRung2 = ("c", "0.01");

    public static ExperimentInfo Experiment { get; } = Declaration("Halving", ["1", "3", "9"],
        SearchSettings.SuccessiveHalving("Epochs", 3, Rungs));

    /// <summary>The same parameters as a grid with Epochs fixed at the top rung's 9: it matches <see cref="Experiment"/>.</summary>
    public static ExperimentInfo Grid { get; } = Declaration("HalvingGrid", ["9"], null);

    public static ExperimentInfo Declaration(string name, IReadOnlyList<string> epochs, SearchSettings? search, IReadOnlyList<string>? rates = null, string objective = "loss")
        => new(name, 2, objective, Goal.Minimize, 10, 9 * epochs.Count * 2, 0,
            [
                new ParameterDefinition("Model", "model", "string", true, Models),
                new ParameterDefinition("Lr", "lr", "double", false, rates ?? Rates),
                new ParameterDefinition("Epochs", "epochs", "int", false, epochs),
            ],
            [],
            search);

    /// <summary>
    /// The search's trials in matrix order. <paramref name="finished"/> false: the top rung has not run yet (one
    /// repeat running, one pending).
    /// </summary>
    public static IReadOnlyList<TrialRecord> Trials(bool finished = true)
    {
        var trials = new List<TrialRecord>();
        for (var repeat = 0; repeat < 2; repeat++)
        {
            foreach (var (model, rate) in Configurations())
            {
                trials.Add(model == "c" && rate == "0.001" && repeat == 1
                    ? Failed("Halving", model, rate, 1, repeat, 27)
                    : Passed("Halving", model, rate, 1, repeat, 27, budgetSpent: null));
            }
            foreach (var (model, rate) in PromotedToRung1)
            {
                trials.Add(Passed("Halving", model, rate, 3, repeat, 27, budgetSpent: 2));
            }
            var (topModel, topRate) = PromotedToRung2;
            trials.Add(finished
                ? Passed("Halving", topModel, topRate, 9, repeat, 27, budgetSpent: 6)
                : Unfinished("Halving", topModel, topRate, 9, repeat, 27, repeat == 0 ? TrialStatus.Running : TrialStatus.Pending));
        }
        return trials.OrderBy(t => t.Index).ToArray();
    }

    /// <summary>The grid's trials: every configuration at 9 epochs, 2 repeats, none reporting <c>budget_spent</c>.</summary>
    public static IReadOnlyList<TrialRecord> GridTrials(string experiment = "HalvingGrid", Func<string, string, double>? loss = null)
        => Enumerable.Range(0, 2)
            .SelectMany(repeat => Configurations().Select(c => Passed(experiment, c.Model, c.Rate, 9, repeat, 9, budgetSpent: null, loss)))
            .OrderBy(t => t.Index)
            .ToArray();

    public static ReportInput Create(bool finished = true, bool withGrid = false)
        => new(Experiment, Trials(finished), [], Environment)
        {
            OtherExperiments = withGrid ? [new StoredExperiment(Grid, GridTrials())] : [],
        };

    private static IEnumerable<(string Model, string Rate)> Configurations()
        => Models.SelectMany(model => Rates.Select(rate => (model, rate)));

    private static IReadOnlyList<KeyValuePair<string, string>> Parameters(string model, string rate, int epochs)
        => [new("Model", model), new("Lr", rate), new("Epochs", epochs.ToString(CultureInfo.InvariantCulture))];

    private static string Id(string model, string rate, int epochs, int repeat)
        => string.Create(CultureInfo.InvariantCulture, $"{model}/lr={rate}/epochs={epochs}#{repeat}");

    /// <summary>Matrix order: repeat-major, then model, rate and (in the search) epochs.</summary>
    private static int Index(string model, string rate, int epochs, int repeat, int perRepeat)
    {
        var configuration = Array.IndexOf(Models, model) * Rates.Length + Array.IndexOf(Rates, rate);
        return perRepeat == 27
            ? repeat * perRepeat + configuration * Rungs.Length + Array.IndexOf(Rungs, epochs)
            : repeat * perRepeat + configuration;
    }

    private static TrialRecord Passed(string experiment, string model, string rate, int epochs, int repeat, int perRepeat, double? budgetSpent,
        Func<string, string, double>? loss = null)
    {
        var metrics = new Dictionary<string, double>
        {
            ["loss"] = (loss?.Invoke(model, rate) ?? Loss[(model, rate, epochs)]) + Noise[repeat],
            ["fit_time"] = 4.0 * (budgetSpent ?? epochs) + repeat,
        };
        if (budgetSpent is { } spent)
        {
            metrics["budget_spent"] = spent;
        }
        return new TrialRecord(
            experiment, Id(model, rate, epochs, repeat), Index(model, rate, epochs, repeat, perRepeat), repeat, Parameters(model, rate, epochs),
            TrialStatus.Passed, 1, "lab-02:100:s1", null, null, metrics["fit_time"] + 1, null, "build-1", "5e6f7a8", "cuda:0", metrics);
    }

    private static TrialRecord Failed(string experiment, string model, string rate, int epochs, int repeat, int perRepeat)
        => new(
            experiment, Id(model, rate, epochs, repeat), Index(model, rate, epochs, repeat, perRepeat), repeat, Parameters(model, rate, epochs),
            TrialStatus.Failed, 1, "lab-02:100:s1", null, null, 3, "CUDA out of memory", "build-1", "5e6f7a8", "cuda:0", new Dictionary<string, double>());

    private static TrialRecord Unfinished(string experiment, string model, string rate, int epochs, int repeat, int perRepeat, TrialStatus status)
        => new(
            experiment, Id(model, rate, epochs, repeat), Index(model, rate, epochs, repeat, perRepeat), repeat, Parameters(model, rate, epochs),
            status, status == TrialStatus.Running ? 1 : 0, status == TrialStatus.Running ? "lab-02:100:s1" : null, null, null, null, null, null, null,
            null, new Dictionary<string, double>());
}
