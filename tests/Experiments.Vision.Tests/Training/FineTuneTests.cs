using Experiments.Vision.Models;
using Experiments.Vision.Training;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Training;

/// <summary>fine_tune on a tiny model: the learning rates and momenta the optimizer holds at chosen batches, freezing, and the plain one-cycle fallback.</summary>
public sealed class FineTuneTests
{
    private const int Batches = 10; // 40 items, batch 4

    [Fact]
    public void Phase_learning_rates_and_momenta_match_the_reference_formulas_at_chosen_steps()
    {
        random.manual_seed(3);
        using var model = TrainingFixtures.TinyVisionModel(3);
        var (train, valid) = TrainingFixtures.ShapesLoaders(40, 8, 4, validCount: 8);
        var recorder = new Recorder();
        using var learner = new Learner(model, train, valid, new LearnerOptions { Pretrained = true, Callbacks = [recorder] });

        var result = learner.FineTune(epochs: 2, baseLr: 1e-2);

        Assert.Equal(TrainingSchedules.FineTune, result.Schedule);
        Assert.Equal(1, result.FrozenEpochs);
        Assert.Equal(["frozen", "unfrozen", "unfrozen"], result.Epochs.Select(e => e.Phase));
        Assert.Equal([1, 2, 3], result.Epochs.Select(e => e.Epoch));
        Assert.Equal(3 * Batches, recorder.Batches.Count);
        Assert.Equal(3 * Batches, result.OptimizerSteps);

        // Frozen phase: slice(base_lr) → body base_lr/10, head base_lr; pct_start 0.99, div 25; 10 steps.
        foreach (int step in (int[])[0, 1, 5, 9])
        {
            var batch = recorder.Batches.Single(b => b.Phase == "frozen" && b.Step == step);
            Assert.Equal(Batches, batch.TotalSteps);
            var (body, momentum) = OneCycleScheduleTests.Expected(1e-3, 0.99, 25, 1e5, step, Batches);
            var (head, _) = OneCycleScheduleTests.Expected(1e-2, 0.99, 25, 1e5, step, Batches);
            Assert.Equal(body, batch.LearningRates[0], 1e-15);
            Assert.Equal(head, batch.LearningRates[1], 1e-15);
            Assert.Equal(momentum, batch.Momentum, 1e-12);
        }
        Assert.Equal(1e-2 / 25, recorder.Batches[0].LearningRates[1], 1e-15);

        // Unfrozen phase: base_lr halved, slice(base_lr/100, base_lr) → body 1e-2/200, head 1e-2/2; pct_start 0.3, div 5; 20 steps.
        foreach (int step in (int[])[0, 3, 6, 7, 13, 19])
        {
            var batch = recorder.Batches.Single(b => b.Phase == "unfrozen" && b.Step == step);
            Assert.Equal(2 * Batches, batch.TotalSteps);
            var (body, momentum) = OneCycleScheduleTests.Expected(1e-2 / 200, 0.3, 5, 1e5, step, 2 * Batches);
            var (head, _) = OneCycleScheduleTests.Expected(1e-2 / 2, 0.3, 5, 1e5, step, 2 * Batches);
            Assert.Equal(body, batch.LearningRates[0], 1e-15);
            Assert.Equal(head, batch.LearningRates[1], 1e-15);
            Assert.Equal(momentum, batch.Momentum, 1e-12);
        }
        var peak = recorder.Batches.Single(b => b.Phase == "unfrozen" && b.Step == 6); // position 0.3 = pct_start
        Assert.Equal(5e-5, peak.LearningRates[0], 1e-15);
        Assert.Equal(5e-3, peak.LearningRates[1], 1e-15);
        Assert.Equal(0.85, peak.Momentum, 1e-12);
        Assert.Equal(5e-3 / 5, recorder.Batches.First(b => b.Phase == "unfrozen").LearningRates[1], 1e-15);
    }

    [Fact]
    public void The_frozen_phase_leaves_body_weights_unchanged_except_norm_layers_and_updates_batch_norm_statistics()
    {
        random.manual_seed(4);
        using var model = TrainingFixtures.TinyVisionModel(3);
        var (train, valid) = TrainingFixtures.ShapesLoaders(40, 8, 4, validCount: 8);
        var before = TrainingFixtures.Snapshot(model);
        var frozenDuring = new List<string>();
        var probe = new FreezeProbe(model, frozenDuring);
        using var learner = new Learner(model, train, valid, new LearnerOptions { Pretrained = true, Callbacks = [probe] });

        var result = learner.FineTune(epochs: 0, baseLr: 1e-2, freezeEpochs: 1);
        var after = TrainingFixtures.Snapshot(model);
        try
        {
            Assert.Equal(1, result.FrozenEpochs);
            Assert.Equal(["body.conv1.weight", "body.conv2.bias", "body.conv2.weight"], frozenDuring.Order(StringComparer.Ordinal));
            foreach (var key in (string[])["body.conv1.weight", "body.conv2.weight", "body.conv2.bias"])
            {
                Assert.True(TrainingFixtures.Same(before[key], after[key]), $"{key} changed while frozen");
            }
            foreach (var key in (string[])["body.bn1.weight", "body.bn1.bias", "body.bn1.running_mean", "body.bn1.running_var", "head.2.weight", "head.4.weight", "head.8.weight"])
            {
                Assert.False(TrainingFixtures.Same(before[key], after[key]), $"{key} did not change");
            }
            // fine_tune ends unfrozen, as fastai's does.
            Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
        }
        finally
        {
            TrainingFixtures.Dispose(before);
            TrainingFixtures.Dispose(after);
        }
    }

    [Fact]
    public void A_model_without_pretrained_weights_gets_plain_one_cycle_and_the_metrics_say_so()
    {
        random.manual_seed(5);
        using var model = TrainingFixtures.TinyVisionModel(3);
        var (train, valid) = TrainingFixtures.ShapesLoaders(40, 8, 4, validCount: 8);
        var recorder = new Recorder();
        using var learner = new Learner(model, train, valid, new LearnerOptions { Pretrained = false, Callbacks = [recorder] });

        var result = learner.FineTune(epochs: 2, baseLr: 1e-2);

        Assert.Equal(TrainingSchedules.OneCycle, result.Schedule);
        Assert.Equal(0, result.FrozenEpochs);
        Assert.Equal(["one_cycle", "one_cycle"], result.Epochs.Select(e => e.Phase));
        Assert.Contains((TrainingMetricNames.FrozenEpochs, 0.0), result.Metrics());
        Assert.Equal(2 * Batches, recorder.Batches.Count);
        // fit_one_cycle(epochs, base_lr): the same rate for body and head, pct_start 0.25, div 25.
        foreach (var batch in recorder.Batches.Where(b => b.Step is 0 or 5 or 12 or 19))
        {
            var (lr, momentum) = OneCycleScheduleTests.Expected(1e-2, 0.25, 25, 1e5, batch.Step, 2 * Batches);
            Assert.Equal(lr, batch.LearningRates[0], 1e-15);
            Assert.Equal(lr, batch.LearningRates[1], 1e-15);
            Assert.Equal(momentum, batch.Momentum, 1e-12);
        }
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
    }

    internal sealed class Recorder : LearnerCallback
    {
        public List<TrainingBatchInfo> Batches { get; } = [];

        public override void BeforeBatch(Learner learner, TrainingBatchInfo batch) => Batches.Add(batch);
    }

    private sealed class FreezeProbe(VisionModel model, List<string> frozen) : LearnerCallback
    {
        public override void BeforeBatch(Learner learner, TrainingBatchInfo batch)
        {
            if (batch.Phase == "frozen" && batch.Step == 0)
            {
                frozen.AddRange(model.named_parameters().Where(p => !p.parameter.requires_grad).Select(p => p.name));
            }
        }
    }
}
