using Experiments.Results;
using Experiments.Store.Tests.Infrastructure;

namespace Experiments.Store.Tests.Contract;

/// <summary>
/// The base of the contract tests: every <see cref="IResultStore"/> implementation must pass them. A contract class is
/// abstract; <c>Stores.cs</c> runs each one against each store (a concrete class per store and contract class).
/// </summary>
public abstract class StoreContract : IDisposable
{
    protected const string Experiment = "FineTune";
    protected static readonly TimeSpan Stale = TimeSpan.FromMinutes(5);
    protected static readonly WorkerIdentity WorkerA = new("host-a", 100, "aaaa1111");
    protected static readonly WorkerIdentity WorkerB = new("host-b", 200, "bbbb2222");

    private readonly List<IDisposable> _stores = new();

    protected StoreContract(IStoreBackend backend)
    {
        Backend = backend;
    }

    protected IStoreBackend Backend { get; }
    protected ManualClock Clock { get; } = new();

    /// <summary>A new instance on this test's store, on the test's clock; disposed after the test.</summary>
    protected IResultStore Open() => Track(Backend.Open(Clock));

    protected IResultStore Track(IResultStore store)
    {
        lock (_stores)
        {
            _stores.Add(store);
        }
        return store;
    }

    protected static ExperimentInfo Info(int repeats = 2) => new(
        Experiment,
        repeats,
        "error_rate",
        Goal.Minimize,
        80,
        MatrixSize: 4 * repeats,
        RemovedByRules: 1,
        [
            new ParameterDefinition("Arch", "arch", "string", true, ["resnet18", "vit_tiny"],
            [
                new Dictionary<string, string> { ["family"] = "resnet", ["params"] = "11.7M" },
                new Dictionary<string, string> { ["family"] = "vit", ["input_size"] = "224" },
            ]),
            new ParameterDefinition("LearningRate", "lr", "double", false, ["0.008", "0.02"]),
        ],
        ["exclude vit_* with Pad"]);

    /// <summary>Trials of <see cref="Info"/> in matrix order (repeat-major).</summary>
    protected static PlannedTrial[] Plan(int repeats = 2) =>
    (
        from repeat in Enumerable.Range(1, repeats)
        from arch in new[] { "resnet18", "vit_tiny" }
        from lr in new[] { "0.008", "0.02" }
        select (repeat, arch, lr)
    ).Select((t, i) => new PlannedTrial($"{t.arch}/lr={t.lr}#{t.repeat}", i, t.repeat,
        [new("Arch", t.arch), new("LearningRate", t.lr)])).ToArray();

    protected static TrialOutcome Outcome(TrialStatus status, string? error = null, params (string Name, double Value)[] metrics)
        => new(status, 12.5, error, metrics.ToDictionary(m => m.Name, m => m.Value), new BuildIdentity("mvid-1", "abc123"), "cpu");

    protected static TrialOutcome Passed(double errorRate = 0.1)
        => Outcome(TrialStatus.Passed, null, ("error_rate", errorRate), ("fit_time", 12.5));

    protected static TrialRecord Trial(IResultStore store, string trialId)
        => store.GetTrials(Experiment).Single(t => t.TrialId == trialId);

    /// <summary>The attempt history (not part of <see cref="IResultStore"/>), read straight from the database.</summary>
    protected IReadOnlyList<AttemptRow> History(string trialId) => Backend.History(Experiment, trialId);

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }
        Backend.Dispose();
        GC.SuppressFinalize(this);
    }
}
