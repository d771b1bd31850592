using Experiments.Results;
using Experiments.Store.Tests.Infrastructure;

namespace Experiments.Store.Tests.Contract;

public abstract class RegisterTests(IStoreBackend backend) : StoreContract(backend)
{
    [StoreFact]
    public void Registers_pending_trials_in_matrix_order()
    {
        using var store = Open();

        store.Register(Info(), Plan().Reverse());

        var trials = store.GetTrials(Experiment);
        Assert.Equal(Plan().Select(t => t.TrialId), trials.Select(t => t.TrialId));
        var first = trials[0];
        Assert.Equal((0, 1, TrialStatus.Pending, 0), (first.Index, first.Repeat, first.Status, first.Attempt));
        Assert.Equal([new("Arch", "resnet18"), new("LearningRate", "0.008")], first.Parameters);
        Assert.Null(first.Worker);
        Assert.Null(first.StartedAt);
        Assert.Empty(first.Metrics);
        Assert.Equal([Experiment], store.GetExperimentNames());
    }

    [StoreFact]
    public void Keeps_the_declaration_with_value_metadata()
    {
        using var store = Open();
        store.Register(Info(), Plan());

        var info = store.GetExperiment(Experiment)!;
        var expected = Info();
        Assert.Equal((expected.Name, expected.Repeats, expected.Objective, expected.Goal, expected.ScoreConstant, expected.MatrixSize, expected.RemovedByRules),
            (info.Name, info.Repeats, info.Objective, info.Goal, info.ScoreConstant, info.MatrixSize, info.RemovedByRules));
        Assert.Equal(expected.Rules, info.Rules);
        Assert.Equal(2, info.Parameters.Count);
        var arch = info.Parameters[0];
        Assert.Equal(("Arch", "arch", "string", true), (arch.Name, arch.Key, arch.TypeName, arch.BareInId));
        Assert.Equal(["resnet18", "vit_tiny"], arch.Values);
        Assert.Equal("vit", arch.MetadataOf("vit_tiny")["family"]);
        Assert.Equal("224", arch.MetadataOf("vit_tiny")["input_size"]);
        Assert.Null(info.Parameters[1].ValueMetadata);
        Assert.Null(store.GetExperiment("Unknown"));
    }

    [StoreFact]
    public void Registering_again_keeps_the_state_of_known_trials_and_adds_new_ones()
    {
        using var store = Open();
        store.Register(Info(repeats: 1), Plan(repeats: 1));
        var id = Plan()[1].TrialId;
        var attempt = store.TryClaim(Experiment, id, WorkerA, Clock.Now, false, Stale)!.Value;
        Assert.True(store.Complete(Experiment, id, attempt, WorkerA, Passed(0.25)));
        var running = Plan()[2].TrialId;
        store.TryClaim(Experiment, running, WorkerA, Clock.Now, false, Stale);

        store.Register(Info(repeats: 2), Plan(repeats: 2));
        store.Register(Info(repeats: 2), Plan(repeats: 2));

        var trials = store.GetTrials(Experiment);
        Assert.Equal(8, trials.Count);
        var passed = trials.Single(t => t.TrialId == id);
        Assert.Equal((TrialStatus.Passed, 1, 0.25), (passed.Status, passed.Attempt, passed.Metrics["error_rate"]));
        Assert.Equal(TrialStatus.Running, trials.Single(t => t.TrialId == running).Status);
        Assert.Equal(6, trials.Count(t => t.Status == TrialStatus.Pending));
        Assert.Equal(2, store.GetExperiment(Experiment)!.Repeats);
    }

    [StoreFact]
    public void Registering_a_reordered_matrix_moves_known_trials_but_keeps_their_state()
    {
        using var store = Open();
        var plan = Plan();
        store.Register(Info(), plan);
        var id = plan[0].TrialId;
        var attempt = store.TryClaim(Experiment, id, WorkerA, Clock.Now, false, Stale)!.Value;
        store.Complete(Experiment, id, attempt, WorkerA, Passed());

        // A value added in front shifts every index.
        store.Register(Info(), plan.Select(t => t with { Index = t.Index + 10 }));

        var trial = Trial(store, id);
        Assert.Equal((10, TrialStatus.Passed, 1), (trial.Index, trial.Status, trial.Attempt));
    }

    [StoreFact]
    public void Registers_many_trials_in_one_transaction()
    {
        using var store = Open();
        var plan = Enumerable.Range(0, 20_000)
            .Select(i => new PlannedTrial($"seed={i}#1", i, 1, [new("Seed", i.ToString(System.Globalization.CultureInfo.InvariantCulture))]))
            .ToArray();

        store.Register(Info(), plan);
        store.Register(Info(), plan);

        var counts = store.GetAttemptCounts(Experiment);
        Assert.Equal(20_000, counts.Count);
        Assert.All(counts.Values, count => Assert.Equal(0, count));
    }
}
