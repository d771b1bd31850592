using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Training;
using Experiments.Vision.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Training;

/// <summary>The learner's loss, metrics, reporting, determinism and memory on a tiny model (fast); real training is in <see cref="RealTrainingTests"/>.</summary>
[Collection(SerialTorchCollection.Name)]
public sealed class LearnerTests
{
    [Fact]
    public void Single_label_validation_is_cross_entropy_and_error_rate_weighted_by_batch_size()
    {
        random.manual_seed(21);
        using var model = TrainingFixtures.TinyVisionModel(3);
        // 10 validation items in batches of 4, 4 and 2: a plain mean of batch means would weigh the last two double.
        var (train, valid) = TrainingFixtures.ShapesLoaders(40, 8, 4, validCount: 10);
        using var learner = new Learner(model, train, valid);
        learner.FitOneCycle(1, 1e-2);

        var metrics = learner.Validate();

        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (x, y) = new ImageDataLoader(valid.Dataset, new DataLoaderOptions { BatchSize = 10 }).Batches().Single().ToTensors();
        var output = model.call(x);
        double loss = nn.functional.cross_entropy(output, y).item<float>();
        double errors = output.argmax(1).ne(y).sum().item<long>();
        Assert.Equal(10, metrics.Count);
        Assert.Equal(loss, metrics.Loss, 1e-5);
        Assert.Equal(errors / 10, metrics.ErrorRate, 1e-12);
        Assert.Null(metrics.AccuracyMulti);
    }

    [Fact]
    public void A_RegNetY_trains_channels_last_on_the_CPU_by_default_with_the_same_numbers()
    {
        random.manual_seed(23);
        using var model = ModelCatalog.Create(ModelCatalog.RegNetY002, numClasses: 3);
        using var reference = ModelCatalog.Create(ModelCatalog.RegNetY002, numClasses: 3);
        reference.load_state_dict(model.state_dict());
        var (train, valid) = TrainingFixtures.ShapesLoaders(64, 32, 16, validCount: 16);

        using var learner = new Learner(model, train, valid);
        using var plain = new Learner(reference, train, valid, new LearnerOptions { ChannelsLast = false });

        Assert.True(learner.ChannelsLast);
        Assert.False(plain.ChannelsLast);
        Assert.Contains(model.parameters(), p => p.dim() == 4 && !p.is_contiguous());
        Assert.All(reference.parameters(), p => Assert.True(p.is_contiguous()));
        // Another memory order, the same function: validation agrees before training.
        Assert.Equal(plain.Validate().Loss, learner.Validate().Loss, 1e-4);

        var fit = learner.FitOneCycle(1, 1e-3);
        Assert.True(double.IsFinite(fit.Epochs[0].ValidLoss));
        Assert.True(learner.Optimizer!.IsFused); // the fused step takes channels-last weights
        Assert.Contains(model.parameters(), p => p.dim() == 4 && !p.is_contiguous());

        // Other catalog models stay in the usual order.
        using var resnet = ModelCatalog.Create(ModelCatalog.ResNet18, numClasses: 3);
        using var resnetLearner = new Learner(resnet, train, valid);
        Assert.False(resnetLearner.ChannelsLast);
    }

    [Fact]
    public void Multi_label_data_get_binary_cross_entropy_and_accuracy_multi_at_0_5()
    {
        random.manual_seed(22);
        using var model = TrainingFixtures.TinyVisionModel(3);
        var (train, valid) = TrainingFixtures.ShapesLoaders(40, 8, 4, multiLabel: true, validCount: 10);
        using var learner = new Learner(model, train, valid);
        Assert.True(learner.IsMultiLabel);

        var result = learner.FitOneCycle(1, 1e-2);
        var metrics = learner.Validate();

        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (x, y) = new ImageDataLoader(valid.Dataset, new DataLoaderOptions { BatchSize = 10 }).Batches().Single().ToTensors();
        Assert.Equal(new long[] { 10, 3 }, y.shape);
        var output = model.call(x);
        double loss = nn.functional.binary_cross_entropy_with_logits(output, y).item<float>();
        double accuracy = output.sigmoid().gt(0.5).eq(y.gt(0.5)).to_type(ScalarType.Float64).mean().item<double>();
        Assert.Equal(loss, metrics.Loss, 1e-5);
        Assert.Equal(accuracy, metrics.AccuracyMulti!.Value, 1e-12);
        Assert.Equal(1 - accuracy, metrics.ErrorRate, 1e-12);
        Assert.Contains(result.Metrics(), m => m.Name == TrainingMetricNames.AccuracyMulti && m.Value == result.Final!.AccuracyMulti);
    }

    [Fact]
    public void Epoch_metrics_progress_and_the_result_go_through_the_trial_context()
    {
        random.manual_seed(23);
        using var model = TrainingFixtures.TinyVisionModel(3);
        var (train, valid) = TrainingFixtures.ShapesLoaders(40, 8, 4, validCount: 8);
        var observer = new RecordingObserver();
        var context = new TrialContext(new Trial("test", "tiny#1", 0, 1, 7, []), "cpu", Path.GetTempPath(), observer, CancellationToken.None);
        using var learner = new Learner(model, train, valid, new LearnerOptions { Context = context });

        var result = learner.FitOneCycle(2, 1e-2);

        foreach (int epoch in (int[])[1, 2])
        {
            foreach (var name in (string[])[MetricNames.TrainLoss, MetricNames.ValidLoss, MetricNames.ErrorRate])
            {
                var reported = Assert.Single(observer.Metrics, m => m.Name == name && m.Epoch == epoch);
                Assert.True(double.IsFinite(reported.Value));
            }
        }
        Assert.Equal(result.Epochs[1].ErrorRate, observer.Metrics.Single(m => m.Name == MetricNames.ErrorRate && m.Epoch == 2).Value);
        Assert.NotEmpty(observer.Progress);
        Assert.Equal(1.0, observer.Progress[^1], 1e-12);

        var trial = result.ToTrialResult().Metrics;
        Assert.Equal(result.ErrorRate, trial[MetricNames.ErrorRate]);
        Assert.Equal(result.ValidLoss, trial[MetricNames.ValidLoss]);
        Assert.Equal(result.TrainLoss, trial[MetricNames.TrainLoss]);
        Assert.True(trial[MetricNames.FitTime] > 0);
        Assert.True(trial[MetricNames.PeakMemory] > 1 << 20);
        Assert.Equal(0, trial[TrainingMetricNames.FrozenEpochs]);
        Assert.Equal("fp32", result.Precision);
        Assert.Equal(2 * 10 * 4, result.TrainImages);
    }

    [Fact]
    public void The_same_seeds_give_the_same_metrics_and_weights()
    {
        (IReadOnlyList<EpochMetrics> History, Dictionary<string, Tensor> Weights) Run()
        {
            random.manual_seed(24);
            using var model = TrainingFixtures.TinyVisionModel(3);
            var (train, valid) = TrainingFixtures.ShapesLoaders(40, 16, 4, seed: 5, validCount: 8);
            using var learner = new Learner(model, train, valid, new LearnerOptions
            {
                Seed = 42,
                Augmentation = new BatchAugmentation(seed: 42),
                Normalization = Normalization.ImageNet,
                AccumulationSamples = 8,
                Threads = 1, // the automatic count follows the machine's load, and sums differ with the thread count
            });
            var result = learner.FitOneCycle(2, 1e-2);
            return (result.Epochs, TrainingFixtures.Snapshot(model));
        }

        var (first, firstWeights) = Run();
        var (second, secondWeights) = Run();
        try
        {
            Assert.Equal(first.Select(e => (e.TrainLoss, e.TrainLossMean, e.ValidLoss, e.ErrorRate)), second.Select(e => (e.TrainLoss, e.TrainLossMean, e.ValidLoss, e.ErrorRate)));
            Assert.All(firstWeights, kv => Assert.True(TrainingFixtures.Same(kv.Value, secondWeights[kv.Key]), kv.Key));
        }
        finally
        {
            TrainingFixtures.Dispose(firstWeights);
            TrainingFixtures.Dispose(secondWeights);
        }
    }

    [Fact]
    public void Memory_stays_flat_every_batch_disposes_its_tensors()
    {
        random.manual_seed(25);
        using var model = TrainingFixtures.TinyVisionModel(3);
        var (train, valid) = TrainingFixtures.ShapesLoaders(40, 8, 4, validCount: 8);
        using var learner = new Learner(model, train, valid, new LearnerOptions { Augmentation = new BatchAugmentation(seed: 1) });
        learner.Fit(1, 1e-3);
        long afterOne = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        learner.Fit(3, 1e-3);

        Assert.Equal(afterOne, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void A_non_finite_loss_stops_the_fit_with_a_clear_error()
    {
        TorchRuntime.EnsureLoaded();
        using var model = nn.Sequential(("flatten", nn.Flatten()), ("fc", nn.Linear(3 * 8 * 8, 3)), ("nan", new Poison()));
        var (train, valid) = TrainingFixtures.ShapesLoaders(16, 8, 4, validCount: 4);
        using var learner = new Learner(model, train, valid);

        var error = Assert.Throws<NonFiniteLossException>(() => learner.FitOneCycle(1, 1e-3));
        Assert.Contains("epoch 1, batch 1", error.Message);
        Assert.Contains("diverged", error.Message);
    }

    [Fact]
    public void Cancellation_stops_the_fit_between_batches()
    {
        random.manual_seed(26);
        using var model = TrainingFixtures.TinyVisionModel(3);
        var (train, valid) = TrainingFixtures.ShapesLoaders(40, 8, 4, validCount: 8);
        using var cancellation = new CancellationTokenSource();
        var stopper = new StopAfter(3, cancellation);
        using var learner = new Learner(model, train, valid, new LearnerOptions { Cancellation = cancellation.Token, Callbacks = [stopper] });

        Assert.ThrowsAny<OperationCanceledException>(() => learner.FitOneCycle(2, 1e-2));
        Assert.Equal(3, stopper.Batches);
        Assert.Empty(learner.History);
    }

    [Fact]
    public void A_fit_runs_with_the_threads_asked_for_and_restores_torchs_setting()
    {
        random.manual_seed(27);
        using var model = TrainingFixtures.TinyVisionModel(3);
        var (train, valid) = TrainingFixtures.ShapesLoaders(16, 8, 4, validCount: 4);
        int before = get_num_threads();
        var seen = new ThreadsSeen();
        using var learner = new Learner(model, train, valid, new LearnerOptions { Threads = 1, Callbacks = [seen] });

        learner.FitOneCycle(1, 1e-3);

        Assert.Equal([1], seen.Threads.Distinct());
        Assert.Equal(1, learner.Threads);
        Assert.Equal(before, get_num_threads());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Learner(model, train, valid, new LearnerOptions { Threads = -1 }));
    }

    [Fact]
    public void Freezing_a_model_without_body_and_head_is_refused()
    {
        TorchRuntime.EnsureLoaded();
        using var model = nn.Sequential(("flatten", nn.Flatten()), ("fc", nn.Linear(3 * 8 * 8, 3)));
        var (train, valid) = TrainingFixtures.ShapesLoaders(16, 8, 4, validCount: 4);
        using var learner = new Learner(model, train, valid, new LearnerOptions { Pretrained = true });

        Assert.Throws<InvalidOperationException>(() => learner.FineTune(1, 1e-3));
        Assert.Equal(["all"], learner.ParameterGroups.Select(g => g.Name));
    }

    private sealed class ThreadsSeen : LearnerCallback
    {
        public List<int> Threads { get; } = [];

        public override void BeforeStep(Learner learner) => Threads.Add(get_num_threads());
    }

    private sealed class StopAfter(int batches, CancellationTokenSource cancellation) : LearnerCallback
    {
        public int Batches { get; private set; }

        public override void AfterStep(Learner learner)
        {
            if (++Batches == batches)
            {
                cancellation.Cancel();
            }
        }
    }

    private sealed class Poison : nn.Module<Tensor, Tensor>
    {
        public Poison() : base(nameof(Poison))
        {
        }

        public override Tensor forward(Tensor input) => input * float.NaN;
    }

    private sealed class RecordingObserver : ITrialObserver
    {
        public List<(string Name, double Value, int? Epoch)> Metrics { get; } = [];

        public List<double> Progress { get; } = [];

        public void OnMetric(string name, double value, int? epoch) => Metrics.Add((name, value, epoch));

        public void OnProgress(double fraction, string? message) => Progress.Add(fraction);
    }
}
