using System.Diagnostics;
using Experiments.Results;
using Experiments.Store.Sqlite;
using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Training;
using Experiments.Vision.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Benchmarks.Sections;

/// <summary>
/// How a training loop is set up. The defaults are the plain fp32 loop; the tuning section compares variants of it.
/// </summary>
/// <param name="Name">Label in the tables.</param>
/// <param name="ChannelsLast">Convolution weights and the input batch in channels-last (NHWC) memory order.</param>
/// <param name="Bf16">Weights, activations and optimizer state in bfloat16 (pure bf16: TorchSharp 0.107 has no autocast).</param>
/// <param name="MixedBf16">Mixed bf16 (<see cref="MixedPrecision.Bf16"/>): bf16 forward and backward, fp32 master weights, optimizer state, loss and norm layers.</param>
/// <param name="Threads">torch.set_num_threads during this variant's rounds (null: the run's setting).</param>
/// <param name="DecodeThreads">The training loader's decoding threads (null: 1, what a vision trial uses on the CPU).</param>
/// <param name="Augment">The pipeline's fastai batch augmentation (default on).</param>
/// <param name="Store">The pipeline writes per-epoch metrics to SQLite (default on).</param>
/// <param name="LowPriority">The training loader's thread at the lowest scheduling priority (<see cref="DataLoaderOptions.LowPriority"/>, the default).</param>
/// <param name="FusedStep">The optimizer step of <see cref="AdamWOptimizer"/>: fused on the CPU where it can be (default), or TorchSharp's <c>optim.AdamW</c>.</param>
/// <param name="RgbData">The pipeline reads Fashion-MNIST converted to 3 channels when decoded, instead of grey (made 3 channels at normalisation).</param>
/// <param name="KeepItems">The training loader keeps resized items for later epochs (<see cref="DataLoaderOptions.CacheBytes"/>, the default).</param>
/// <param name="LearnerThreads">
/// The pipeline's <see cref="LearnerOptions.Threads"/>: 0 (default here) keeps the run's setting, as the bare loop does;
/// null is the Learner's own choice per fit (<see cref="ThreadPolicy"/>); a number, that many.
/// </param>
public sealed record LoopSettings(
    string Name,
    bool? ChannelsLast = null,
    bool Bf16 = false,
    bool MixedBf16 = false,
    int? Threads = null,
    int? DecodeThreads = null,
    bool Augment = true,
    bool Store = true,
    bool FusedStep = true,
    bool LowPriority = true,
    bool RgbData = false,
    bool KeepItems = true,
    int? LearnerThreads = 0)
{
    public static LoopSettings FromOptions(BenchmarkOptions options) =>
        new(Describe(options.ChannelsLast, options.Bf16), options.ChannelsLast ? true : null, options.Bf16);

    /// <summary>What the pipeline's Learner is asked for: mixed bf16, or plain fp32 (explicitly: the default may choose bf16 on a bf16 CPU).</summary>
    public MixedPrecision Precision => MixedBf16 ? MixedPrecision.Bf16 : MixedPrecision.Off;

    /// <summary>The batch goes into the model as bf16 (pure or mixed bf16).</summary>
    public bool Bf16Input => Bf16 || MixedBf16;

    public static string Describe(bool channelsLast, bool bf16) =>
        (bf16 ? "bf16" : "fp32") + (channelsLast ? ", channels-last" : ", each model's default layout (channels-last for RegNetY, ResNeXt and MobileNetV3 on the CPU)");
}

/// <summary>One measured round of a loop: images/s and where the time of a batch went.</summary>
/// <param name="Images">Training images processed.</param>
/// <param name="Seconds">Time of the training batches (the pipeline: <see cref="FitResult.TrainSeconds"/>, loader waits included).</param>
/// <param name="ComputeSeconds">Forward, loss and backward (the pipeline: with the batch's conversion, augmentation and normalisation).</param>
/// <param name="StepSeconds">Optimizer step and zeroing of the gradients.</param>
/// <param name="EpochExtraSeconds">The pipeline only: the rest of the epoch — validation, metrics, the store writes.</param>
public sealed record RoundResult(int Images, double Seconds, double ComputeSeconds, double StepSeconds, double EpochExtraSeconds)
{
    public double ImagesPerSecond => Images / Seconds;

    /// <summary>Everything else in the training batches: the loader wait, scope disposal, bookkeeping.</summary>
    public double OtherSeconds => Seconds - ComputeSeconds - StepSeconds;
}

/// <summary>
/// The data of the training measurements: Fashion-MNIST (the full set wherever FashionMnistDataset.Open finds it, else the sample shipped with Experiments.Vision), grey as
/// stored — the models take 3 channels, as with pretrained weights, and a grey batch becomes 3 channels at normalisation
/// (<see cref="Normalization.Normalize"/>), the same numbers as the images converted to RGB when decoded.
/// </summary>
public static class TrainingData
{
    private static readonly Lazy<(FashionMnistDataset Train, FashionMnistDataset Test, string Source)> Sets = new(Open);
    private static readonly Lazy<FashionMnistDataset> TrainRgbSet = new(() => Reopen(Train, channels: 3));
    private static readonly Lazy<FashionMnistDataset> TestRgbSet = new(() => Reopen(Test, channels: 3));

    public static string Source => Sets.Value.Source;

    /// <summary>The training images, grey (1 channel).</summary>
    public static FashionMnistDataset Train => Sets.Value.Train;

    public static FashionMnistDataset Test => Sets.Value.Test;

    /// <summary>The training images converted to 3 channels when decoded (the data probes of 3-channel images).</summary>
    public static FashionMnistDataset TrainRgb => TrainRgbSet.Value;

    /// <summary>The first <paramref name="count"/> training images (grey, or converted to 3 channels), cycling when the set is smaller.</summary>
    public static IImageDataset TrainSubset(int count, bool rgb = false) =>
        new SubsetDataset(rgb ? TrainRgb : Train, Enumerable.Range(0, count).Select(i => i % Train.Count));

    public static IImageDataset ValidSubset(int count, bool rgb = false) =>
        new SubsetDataset(rgb ? TestRgbSet.Value : Test, Enumerable.Range(0, count).Select(i => i % Test.Count));

    /// <summary>Pre-made tensors for a bare loop: <paramref name="count"/> images resized to <paramref name="size"/> (centre crop), ImageNet-normalised (3 channels), and their labels.</summary>
    public static (Tensor Images, Tensor Targets) Tensors(int count, int size)
    {
        var dataset = TrainSubset(count);
        var loader = new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = count, ItemTransform = new Resize(size) });
        var batch = loader.Batches().Single();
        using var scope = NewDisposeScope();
        var images = Normalization.ImageNet.Normalize(batch.ImagesToTensor());
        var targets = batch.TargetsToTensor();
        return (images.MoveToOuterDisposeScope(), targets.MoveToOuterDisposeScope());
    }

    private static (FashionMnistDataset, FashionMnistDataset, string) Open()
    {
        try
        {
            var train = FashionMnistDataset.Open(DatasetPart.Train);
            return (train, FashionMnistDataset.Open(DatasetPart.Test, train.Source), $"Fashion-MNIST ({train.Source})");
        }
        catch (DatasetNotFoundException)
        {
            return (FashionMnistDataset.OpenSample(DatasetPart.Train), FashionMnistDataset.OpenSample(DatasetPart.Test),
                $"{FashionMnistDataset.SampleSource} (1,000 images; the full Fashion-MNIST was not found: `dotnet run -- data fetch fashion-mnist`)");
        }
    }

    /// <summary>The same data as <paramref name="set"/>, decoded to <paramref name="channels"/> channels.</summary>
    private static FashionMnistDataset Reopen(FashionMnistDataset set, int channels) =>
        set.IsSample ? FashionMnistDataset.OpenSample(set.Part, channels) : FashionMnistDataset.Open(set.Part, set.Source, channels);
}

/// <summary>Memory layout and precision changes applied to a model and its inputs.</summary>
public static class Layout
{
    /// <summary>Whether a loop of <paramref name="model"/> runs channels-last: as asked, else as the Learner would choose (the catalog's preference on the CPU).</summary>
    public static bool ChannelsLastFor(string model, LoopSettings settings) =>
        settings.ChannelsLast ?? ModelCatalog.Describe(model).ChannelsLastOnCpu;

    public static void Apply(nn.Module model, bool bf16, bool channelsLast)
    {
        if (bf16)
        {
            model.to(ScalarType.BFloat16);
        }
        if (channelsLast)
        {
            Vision.Training.ChannelsLast.Apply(model);
        }
    }

    public static Tensor Input(Tensor x, bool bf16, bool channelsLast)
    {
        if (bf16)
        {
            x = x.to_type(ScalarType.BFloat16);
        }
        return channelsLast ? Vision.Training.ChannelsLast.Input(x) : x;
    }
}

/// <summary>
/// Hands the Learner's float32 batches to a bf16 model and its output back as float32 for the loss. Only used for
/// the bf16 variants (the Learner itself puts batches in channels-last order when asked).
/// </summary>
public sealed class InputAdapter : nn.Module<Tensor, Tensor>
{
    // TorchSharp names components after their fields (the state-dict keys): PyTorch names, not _camelCase.
#pragma warning disable IDE1006
    private readonly nn.Module<Tensor, Tensor> inner;
#pragma warning restore IDE1006

    public InputAdapter(nn.Module<Tensor, Tensor> inner) : base(nameof(InputAdapter))
    {
        this.inner = inner;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return inner.call(input.to_type(ScalarType.BFloat16)).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// The bare TorchSharp loop over pre-made tensors: per batch a slice of one big tensor, forward, cross-entropy,
/// backward, AdamW step, zero_grad, loss.item(). The step is the pipeline's own (<see cref="AdamWOptimizer"/> with
/// fastai's settings and groups), so that pipeline / bare measures the feeding alone; the tuning section compares it
/// with TorchSharp's <c>optim.AdamW</c>.
/// </summary>
public sealed class BareLoop : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly AdamWOptimizer _optimizer;
    private readonly MixedBf16Weights? _mixed;
    private readonly LoopSettings _settings;
    private readonly bool _channelsLast;
    private readonly int _batchSize;
    private readonly Device _device;
    private Tensor _images;
    private Tensor _targets;

    public BareLoop(string modelName, int size, int batchSize, LoopSettings settings, Device? device = null)
    {
        random.manual_seed(1);
        _device = device ?? CPU;
        _model = ModelCatalog.Create(modelName, numClasses: 10, inChannels: 3);
        if (_device.type != DeviceType.CPU)
        {
            _model.to(_device);
        }
        _channelsLast = Layout.ChannelsLastFor(modelName, settings);
        Layout.Apply(_model, settings.Bf16, _channelsLast);
        _model.train();
        var groups = ParameterGroups.Of(_model);
        if (settings.MixedBf16)
        {
            // The Learner's mixed bf16: the model computes on a bf16 copy, the optimizer steps fp32 masters.
            _mixed = new MixedBf16Weights(_model);
            _mixed.Enter();
            groups = _mixed.MasterGroups(ParameterGroups.Of(_model));
        }
        _optimizer = new AdamWOptimizer(_model, groups, new AdamWOptions { Fused = settings.FusedStep });
        for (int g = 0; g < _optimizer.GroupNames.Count; g++)
        {
            _optimizer.SetLearningRate(g, 1e-3);
        }
        _settings = settings;
        _batchSize = batchSize;
        // Until UseData: random images (warm-up and the step-time probe).
        using (var scope = NewDisposeScope())
        {
            _images = Layout.Input(randn(batchSize, 3, size, size, device: _device), settings.Bf16Input, _channelsLast).MoveToOuterDisposeScope();
            _targets = randint(0, 10, [batchSize], device: _device).MoveToOuterDisposeScope();
        }
        Size = size;
    }

    public int Size { get; }

    public nn.Module<Tensor, Tensor> Model => _model;

    /// <summary>Switches to pre-made data (the loop owns and disposes it).</summary>
    public void UseData(Tensor newImages, Tensor newTargets)
    {
        _images.Dispose();
        _targets.Dispose();
        if (_device.type != DeviceType.CPU)
        {
            var (images, targets) = (newImages.to(_device), newTargets.to(_device));
            newImages.Dispose();
            newTargets.Dispose();
            (newImages, newTargets) = (images, targets);
        }
        _targets = newTargets;
        if (!_settings.Bf16Input && !_channelsLast)
        {
            _images = newImages;
            return;
        }
        using (var scope = NewDisposeScope())
        {
            _images = Layout.Input(newImages, _settings.Bf16Input, _channelsLast).MoveToOuterDisposeScope();
        }
        newImages.Dispose();
    }

    /// <summary><paramref name="steps"/> training steps over consecutive batches of the data (cycling).</summary>
    public RoundResult Run(int steps)
    {
        int batches = (int)(_images.shape[0] / _batchSize);
        long compute = 0, step = 0;
        var clock = Stopwatch.StartNew();
        for (int s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            long t0 = Stopwatch.GetTimestamp();
            int b = s % batches;
            var x = _images.narrow(0, b * _batchSize, _batchSize);
            var y = _targets.narrow(0, b * _batchSize, _batchSize);
            var output = _model.call(x);
            var loss = nn.functional.cross_entropy(_settings.Bf16Input ? output.to_type(ScalarType.Float32) : output, y);
            loss.backward();
            long t1 = Stopwatch.GetTimestamp();
            _mixed?.CopyGradients();
            _optimizer.Step();
            _mixed?.CopyWeights();
            _optimizer.ZeroGrad();
            _mixed?.ZeroGrad();
            long t2 = Stopwatch.GetTimestamp();
            _ = loss.item<float>(); // waits for the device too
            compute += t1 - t0;
            step += t2 - t1;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        return new RoundResult(steps * _batchSize, seconds, compute / (double)Stopwatch.Frequency, step / (double)Stopwatch.Frequency, 0);
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _mixed?.Dispose();
        _model.Dispose();
        _images.Dispose();
        _targets.Dispose();
    }
}

/// <summary>
/// The full pipeline: <see cref="ImageDataLoader"/> over the in-memory data set (item <see cref="Resize"/> on the decoding
/// threads), the <see cref="Learner"/>'s step (bytes → float, fastai batch augmentation, ImageNet normalisation, forward,
/// loss, backward, AdamW with body/head groups), validation of one batch and per-epoch metrics written to a SQLite store.
/// One round is one <see cref="Learner.Fit"/> epoch.
/// </summary>
public sealed class PipelineLoop : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly Learner _learner;
    private readonly BatchTimer _timer = new();
    private readonly LoopSettings _settings;

    public PipelineLoop(string modelName, int size, int batchSize, int steps, LoopSettings settings, TrainingStore? store, string trialId, Device? device = null)
    {
        random.manual_seed(1);
        var vision = ModelCatalog.Create(modelName, numClasses: 10, inChannels: 3);
        Layout.Apply(vision, settings.Bf16, channelsLast: false);
        _model = settings.Bf16 ? new InputAdapter(vision) : vision;
        _settings = settings;
        var train = new ImageDataLoader(TrainingData.TrainSubset(steps * batchSize, settings.RgbData), new DataLoaderOptions
        {
            BatchSize = batchSize,
            Training = true,
            Seed = 1,
            ItemTransform = new Resize(size),
            DecodeThreads = settings.DecodeThreads ?? 1,
            LowPriority = settings.LowPriority,
            CacheBytes = settings.KeepItems ? new DataLoaderOptions().CacheBytes : 0,
        });
        var valid = new ImageDataLoader(TrainingData.ValidSubset(batchSize, settings.RgbData), new DataLoaderOptions
        {
            BatchSize = batchSize,
            Seed = 1,
            ItemTransform = new Resize(size),
            DecodeThreads = settings.DecodeThreads ?? 1,
        });
        _learner = new Learner(_model, train, valid, new LearnerOptions
        {
            Augmentation = settings.Augment ? new BatchAugmentation(AugmentationOptions.Default, seed: 1) : null,
            Normalization = Normalization.ImageNet,
            Context = settings.Store && store is not null ? store.Context(trialId) : null,
            Callbacks = [_timer],
            Optimizer = new AdamWOptions { Fused = settings.FusedStep },
            // A round is one Fit; resetting the peak-memory mark (a compacting GC and malloc_trim, once per fit in a trial)
            // would make every round's first batch fault its memory back in. The memory section measures memory.
            ResetPeakMemory = false,
            // What the Learner chooses for the model itself; said explicitly for the bf16 adapter, which is not a VisionModel.
            ChannelsLast = Layout.ChannelsLastFor(modelName, settings),
            Threads = settings.LearnerThreads,
            Device = device,
            MixedPrecision = settings.Precision,
        });
    }

    /// <summary>LibTorch's thread count during the last round (<see cref="Learner.Threads"/>).</summary>
    public int LearnerThreads => _learner.Threads;

    public RoundResult Run()
    {
        _timer.Reset();
        var fit = _learner.Fit(1, 1e-3);
        return new RoundResult((int)fit.TrainImages, fit.TrainSeconds, _timer.ComputeSeconds, _timer.StepSeconds, fit.FitTimeSeconds - fit.TrainSeconds);
    }

    public void Dispose()
    {
        _learner.Dispose();
        _model.Dispose();
    }

    /// <summary>Times each batch between the Learner's hooks: BeforeBatch → BeforeStep (prepare, forward, loss, backward) → AfterStep (step, zero_grad).</summary>
    private sealed class BatchTimer : LearnerCallback
    {
        private long _batchStart, _stepStart, _compute, _step;

        public double ComputeSeconds => _compute / (double)Stopwatch.Frequency;

        public double StepSeconds => _step / (double)Stopwatch.Frequency;

        public void Reset() => _compute = _step = 0;

        public override void BeforeBatch(Learner learner, TrainingBatchInfo batch) => _batchStart = Stopwatch.GetTimestamp();

        public override void BeforeStep(Learner learner)
        {
            _stepStart = Stopwatch.GetTimestamp();
            _compute += _stepStart - _batchStart;
        }

        public override void AfterStep(Learner learner) => _step += Stopwatch.GetTimestamp() - _stepStart;
    }
}

/// <summary>
/// The results store the pipeline writes to: a SQLite file with one registered experiment whose trials are the measured
/// configurations; each is claimed, and a trial's per-epoch metrics are written as the runner's host writes them.
/// </summary>
public sealed class TrainingStore : IDisposable
{
    private const string Experiment = "benchmark-training";
    private readonly SqliteResultStore _store;
    private readonly string _directory;
    private readonly WorkerIdentity _worker = WorkerIdentity.ForCurrentProcess();
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;

    public TrainingStore(IReadOnlyList<string> trialIds)
    {
        _directory = Directory.CreateTempSubdirectory("experiments-bench-store-").FullName;
        _store = new SqliteResultStore(Path.Combine(_directory, "results.db"));
        var parameter = new ParameterDefinition("Config", "config", "string", true, trialIds);
        _store.Register(new ExperimentInfo(Experiment, 1, MetricNames.ErrorRate, Goal.Minimize, 0, trialIds.Count, 0, [parameter], []),
            trialIds.Select((id, i) => new PlannedTrial(id + "#1", i, 1, [new("Config", id)])));
    }

    public TrialContext Context(string trialId)
    {
        string id = trialId + "#1";
        int attempt = _store.TryClaim(Experiment, id, _worker, _start, rerunPassed: true, TimeSpan.FromHours(1))
            ?? throw new InvalidOperationException($"Could not claim {id} in the benchmark store.");
        var trial = new Trial(Experiment, id, 0, 1, 1, []);
        return new TrialContext(trial, "cpu", _directory, new Observer(_store, id, attempt), CancellationToken.None);
    }

    public void Dispose()
    {
        _store.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    private sealed class Observer(SqliteResultStore store, string trialId, int attempt) : ITrialObserver
    {
        public void OnMetric(string name, double value, int? epoch)
        {
            if (epoch is int e)
            {
                store.RecordEpochMetric(Experiment, trialId, attempt, e, name, value);
            }
        }

        public void OnProgress(double fraction, string? message)
        {
            // The runner's worker sends progress to its host as a JSON line; here it goes nowhere.
        }
    }
}
