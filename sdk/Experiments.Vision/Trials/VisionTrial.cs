using System.Diagnostics;
using System.Globalization;
using Experiments.Vision.Checkpoints;
using Experiments.Vision.Data;
using Experiments.Vision.Inference;
using Experiments.Vision.Models;
using Experiments.Vision.Pretrained;
using Experiments.Vision.Training;
using Experiments.Vision.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Trials;

/// <summary>
/// A whole vision trial in one call, so that a declaration's <c>RunAsync</c> is a few lines:
/// <code>
/// public Task&lt;TrialResult&gt; RunAsync(TrialContext context) =&gt; VisionTrial.RunAsync(context, new VisionTrialSettings
/// {
///     Dataset = Dataset, Architecture = Arch, LearningRate = LearningRate, Resize = Resize, Pooling = Pool,
///     Size = Size, Epochs = Epochs, BatchSize = 64, Accumulation = 1, Tta = true, Export = true,
/// });
/// </code>
/// </summary>
/// <remarks>
/// <para>Steps: open the data set and split it with the fixed <see cref="VisionTrialSettings.SplitSeed"/> (every trial
/// validates on the same images); build the loaders with the resize item transform (h × w); create the catalog model
/// with the fastai head; load pretrained weights into the body when <see cref="VisionTrialSettings.Pretrained"/> names
/// them; train with <see cref="Learner.FineTune"/> (with pretrained weights: frozen one-cycle, then unfrozen with
/// discriminative rates; from scratch: one plain one-cycle fit), which reports per-epoch train_loss, valid_loss and
/// error_rate and progress through the context; then TTA and export when asked.</para>
/// <para>Final metrics: error_rate, valid_loss, train_loss, fit_time (s), peak_memory (bytes), frozen_epochs,
/// train_images_per_second (+ accuracy_multi for multi-label data), param_count, pretrained, train_images,
/// valid_images, baseline_error_rate (what ignoring the images scores on the same validation images; the report marks
/// configurations that do not beat it as not learnt), data_sample (1 for a packaged sample) where the data set can say,
/// and with TTA tta_error_rate and tta_time.</para>
/// <para>Randomness: <see cref="TrialContext.Seed"/> seeds the model's initialisation, dropout, the training order,
/// random crops and the batch augmentation, so a trial is reproducible on the CPU and repeats differ by their seed
/// only. The device is <see cref="TrialContext.Device"/> (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>).
/// <see cref="TrialContext.Cancellation"/> stops training between batches, TTA between batches, and the export
/// before it starts (<see cref="OperationCanceledException"/>).</para>
/// <para>The export's path cannot be a metric (metrics are numbers): it is in <see cref="VisionTrialOutcome.ExportPath"/>
/// of <see cref="Run"/>, in the last progress message, and — by default — in the trial's own output folder under a
/// name made of the architecture and the trial id.</para>
/// </remarks>
public static class VisionTrial
{
    /// <summary>
    /// Trains one trial on a thread of its own (TorchSharp's dispose scopes are per thread) and returns its final metrics.
    /// See <see cref="VisionTrial"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException">The context's cancellation was signalled.</exception>
    [MetricName(
        MetricNames.ErrorRate, MetricNames.ValidLoss, MetricNames.TrainLoss, MetricNames.FitTime, MetricNames.PeakMemory,
        TrainingMetricNames.FrozenEpochs, TrainingMetricNames.TrainImagesPerSecond, TrainingMetricNames.AccuracyMulti,
        VisionTrialMetricNames.TtaErrorRate, VisionTrialMetricNames.TtaTime, VisionTrialMetricNames.ParamCount,
        VisionTrialMetricNames.Pretrained, VisionTrialMetricNames.TrainImages, VisionTrialMetricNames.ValidImages,
        VisionTrialMetricNames.BaselineErrorRate, VisionTrialMetricNames.DataSample, MetricNames.FitBudget,
        VisionTrialMetricNames.BudgetSpent, VisionTrialMetricNames.Continued, VisionTrialMetricNames.Threads,
        VisionTrialMetricNames.MixedBf16)]
    public static Task<TrialResult> RunAsync(TrialContext context, VisionTrialSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        return Task.Factory.StartNew(
            () => Run(context, settings).ToTrialResult(),
            context.Cancellation,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>Runs one trial on the calling thread and returns everything it did (the fit, TTA, the export's files).</summary>
    /// <exception cref="ArgumentException">A setting is out of range, the data set or architecture is unknown, or the size does not fit the model.</exception>
    /// <exception cref="FileNotFoundException">The pretrained weights are missing.</exception>
    /// <exception cref="OperationCanceledException">The context's cancellation was signalled.</exception>
    public static VisionTrialOutcome Run(TrialContext context, VisionTrialSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        Validate(settings);
        var cancellation = context.Cancellation;
        cancellation.ThrowIfCancellationRequested();
        TorchRuntime.EnsureLoaded();

        var info = ModelCatalog.Describe(settings.Architecture);
        // Weights named by the model (resnet20.cntk_in1k: converted on first use) or given as a file; none: from scratch.
        string? weights = settings.Pretrained is { } pretrainedPath
            ? ResolvePretrained(pretrainedPath, info.Architecture)
            : info.Weights is not null ? PretrainedWeights.Resolve(info.Name) : null;
        bool pretrained = weights is not null;

        var split = OpenData(settings, pretrained);
        var dataset = split.Train.Source;
        context.ReportProgress(0, $"data: {settings.Dataset}, {split.Train.Count:N0} training and {split.Valid.Count:N0} validation images ({dataset.Origin?.Description ?? dataset.GetType().Name})");
        var resize = ResizeFor(settings, info, dataset);

        int seed = context.Seed;
        var device = DeviceOf(context.Device);
        int microBatch = settings.BatchSize / settings.Accumulation;
        // On the CPU the model's step takes every core: one decoding thread at low priority keeps up with it (a JPEG
        // decoded and resized to 224 px in about 2.5 ms) and leaves the cores to the step; a GPU needs the data faster.
        int decodeThreads = settings.DecodeThreads ?? (device.type == DeviceType.CPU ? 1 : Environment.ProcessorCount);
        var train = new ImageDataLoader(split.Train, new DataLoaderOptions
        {
            BatchSize = microBatch,
            Training = true,
            Seed = seed,
            ItemTransform = resize,
            DecodeThreads = decodeThreads,
        });
        if (train.BatchCount == 0)
        {
            throw new ArgumentException(
                $"{split.Train.Count} training items make no full batch of {microBatch}: lower the batch size or use more data.", nameof(settings));
        }
        var valid = new ImageDataLoader(split.Valid, new DataLoaderOptions
        {
            BatchSize = microBatch,
            Seed = seed,
            ItemTransform = resize,
            DecodeThreads = decodeThreads,
        });

        Normalization? normalization = pretrained ? (info.Normalization == "half" ? Normalization.Inception : Normalization.ImageNet) : null;

        // The model's initialisation (and anything else drawn from torch's generator before the fit) comes from the trial's seed.
        random.manual_seed(seed);
        // Pretrained stems take 3 channels; a grey batch is made 3 channels at normalisation.
        int inChannels = pretrained ? 3 : dataset.Channels;
        using var model = ModelCatalog.Create(settings.Architecture, dataset.Classes.Count, inChannels, new ModelOptions { Pooling = settings.Pooling });
        var rung = context.Rung;
        bool continues = settings.RungStart == RungStart.Continue || (settings.RungStart == RungStart.Auto && pretrained);
        string? continuedFrom = continues ? ContinueFromRungBelow(context, settings, model) : null;
        if (weights is not null && continuedFrom is null)
        {
            ModelCheckpoint.LoadBody(model, weights);
        }
        long parameters = model.parameters().Sum(p => p.numel());

        using var learner = new Learner(model, train, valid, new LearnerOptions
        {
            Device = device,
            Pretrained = pretrained,
            Normalization = normalization,
            Augmentation = settings.Augmentation is { } augmentation ? new BatchAugmentation(augmentation, seed) : null,
            AccumulationSamples = settings.Accumulation > 1 ? settings.BatchSize : null,
            MixedPrecision = settings.MixedPrecision,
            Threads = settings.Threads,
            MaxFitTime = settings.MaxFitTime,
            Seed = seed,
            Context = context,
            Cancellation = cancellation,
        });
        // A continuation trains the added epochs with a new one-cycle over them (a warm restart); a pretrained model
        // is not frozen again (fine_tune without its frozen phase).
        var fit = continuedFrom is not null && rung?.PreviousBudget is { } previousBudget
            ? learner.FineTune(settings.Epochs - previousBudget, settings.LearningRate, freezeEpochs: 0, settings.LrMult)
            : learner.FineTune(settings.Epochs, settings.LearningRate, settings.FreezeEpochs, settings.LrMult);
        if (rung is not null && continues && !fit.StoppedAtBudget
            && settings.Epochs == rung.Budget && !rung.IsTop && (settings.TopRungBudget is not { } top || rung.Budget < top))
        {
            ContinuationCheckpoint.Save(model, context.OutputDirectory, settings.Epochs);
        }

        var metrics = new List<(string Name, double Value)>(fit.Metrics())
        {
            (VisionTrialMetricNames.ParamCount, parameters),
            (VisionTrialMetricNames.Pretrained, pretrained ? 1 : 0),
            (VisionTrialMetricNames.Threads, learner.Threads),
            (VisionTrialMetricNames.MixedBf16, learner.Precision == MixedPrecision.Bf16 ? 1 : 0),
            (VisionTrialMetricNames.TrainImages, split.Train.Count),
            (VisionTrialMetricNames.ValidImages, split.Valid.Count),
            (VisionTrialMetricNames.BaselineErrorRate, dataset.IsMultiLabel
                ? Baselines.MultiLabelConstantError(split.Train, split.Valid)
                : Baselines.MajorityClassError(split.Train, split.Valid)),
        };
        if (dataset.Origin is { } origin)
        {
            metrics.Add((VisionTrialMetricNames.DataSample, origin.IsSample ? 1 : 0));
        }
        if (rung is not null)
        {
            // Every epoch trained, the frozen ones included: what this rung cost.
            metrics.Add((VisionTrialMetricNames.BudgetSpent, fit.Epochs.Count));
            metrics.Add((VisionTrialMetricNames.Continued, continuedFrom is not null ? 1 : 0));
        }

        double? ttaErrorRate = null;
        if (settings.Tta)
        {
            cancellation.ThrowIfCancellationRequested();
            context.ReportProgress(1, $"TTA: {settings.TtaPasses} augmented passes + 1 plain over {split.Valid.Count} images");
            var clock = Stopwatch.StartNew();
            var ttaAugmentation = settings.Augmentation is { } options ? new BatchAugmentation(options, seed) : null;
            using var predictions = Inference.Tta.Predict(model, valid, ttaAugmentation, settings.TtaPasses, settings.TtaBeta,
                new PredictOptions { Normalization = normalization, Device = device }, cancellation);
            ttaErrorRate = predictions.ErrorRate();
            metrics.Add((VisionTrialMetricNames.TtaErrorRate, ttaErrorRate.Value));
            metrics.Add((VisionTrialMetricNames.TtaTime, clock.Elapsed.TotalSeconds));
        }

        ExportedFiles? export = null;
        if (settings.Export)
        {
            cancellation.ThrowIfCancellationRequested();
            string directory = settings.ExportDirectory ?? context.OutputDirectory;
            string description = settings.ExportDescription ?? DescriptionOf(context.Trial, settings.Architecture);
            var metadata = ExportMetadata.For(split.Train, resize, normalization) with
            {
                Metrics = metrics.ToDictionary(m => m.Name, m => m.Value, StringComparer.Ordinal),
                Properties = PropertiesOf(context, settings, fit, split, weights),
            };
            var collision = settings.ExportCollision ?? (settings.ExportDirectory is null ? ExportCollision.Overwrite : ExportCollision.AddSuffix);
            export = ModelExport.Save(model, directory, description, metadata, collision);
            context.ReportProgress(1, $"exported {export.Name} to {export.MetadataPath}");
        }

        return new VisionTrialOutcome(settings, split, resize, normalization, fit, ttaErrorRate, export, metrics, continuedFrom);
    }

    /// <summary>
    /// Above the first rung of a continuing trial: loads the rung below's continuation checkpoint into
    /// <paramref name="model"/> and returns its path; else null. When the checkpoint cannot be used the trial restarts
    /// (the model keeps its fresh initialisation) and the progress message says why.
    /// </summary>
    private static string? ContinueFromRungBelow(TrialContext context, VisionTrialSettings settings, VisionModel model)
    {
        if (context.Rung is not { PreviousBudget: { } previousBudget } rung)
        {
            return null;
        }
        string? reason = settings.Epochs != rung.Budget
            ? string.Create(CultureInfo.InvariantCulture, $"the rung's budget {rung.Budget} is not the trial's epochs {settings.Epochs}")
            : previousBudget >= rung.Budget
                ? string.Create(CultureInfo.InvariantCulture, $"the rung below's budget {previousBudget} is not below {rung.Budget}")
                : ContinuationCheckpoint.TryLoad(model, rung.PreviousOutputDirectory, previousBudget);
        if (reason is not null)
        {
            context.ReportProgress(0, $"restarting at {rung.Budget} epochs instead of continuing from {rung.PreviousTrialId}: {reason}");
            return null;
        }
        context.ReportProgress(0, string.Create(CultureInfo.InvariantCulture,
            $"continuing from {rung.PreviousTrialId} ({previousBudget} epochs): {rung.Budget - previousBudget} more"));
        return ContinuationCheckpoint.PathIn(rung.PreviousOutputDirectory!);
    }

    /// <summary>
    /// The default export description of a trial: its id without the segment that names the architecture (the export's
    /// name starts with it), e.g. <c>shapes/squish#1</c> for <c>shapes/resnet18/squish#1</c>.
    /// </summary>
    public static string DescriptionOf(Trial trial, string architecture)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(architecture);
        string configuration = TrialId.ConfigurationIdOf(trial.Id);
        string repeat = trial.Id[configuration.Length..];
        var segments = configuration.Split(TrialId.ParameterSeparator).Where(s => s != architecture).ToArray();
        return string.Join(TrialId.ParameterSeparator, segments) + repeat;
    }

    /// <summary>The TorchSharp device for a <c>--device</c> value: <c>cpu</c> (or empty), <c>cuda</c>, <c>cuda:N</c>.</summary>
    /// <exception cref="ArgumentException">Another value.</exception>
    /// <exception cref="InvalidOperationException">CUDA was asked for and TorchSharp has no CUDA backend here.</exception>
    public static Device DeviceOf(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Equals("cpu", StringComparison.OrdinalIgnoreCase))
        {
            return CPU;
        }
        if (name.Equals("cuda", StringComparison.OrdinalIgnoreCase) || name.StartsWith("cuda:", StringComparison.OrdinalIgnoreCase))
        {
            if (!cuda.is_available())
            {
                throw new InvalidOperationException(
                    $"Device '{name}' was asked for, but CUDA is not available to TorchSharp (build with ExperimentsTorchBackend=cuda on a machine with an NVIDIA GPU).");
            }
            return device(name.ToLowerInvariant());
        }
        throw new ArgumentException($"Unknown device '{name}': use cpu, cuda or cuda:N.", nameof(name));
    }

    /// <summary>The training and validation items: a seeded random split, or the data set's own training and test parts.</summary>
    private static DatasetSplit OpenData(VisionTrialSettings settings, bool pretrained)
    {
        if (settings.Validation == ValidationSource.TestPart)
        {
            if (settings.Data is not null)
            {
                throw new ArgumentException("Validation on the test part needs a named data set (Dataset), not Data: split Data yourself, or validate on a random split.", nameof(settings));
            }
            // Grey data stays grey for pretrained weights too: it becomes 3 channels at normalisation (ModelInput).
            var options = settings.DatasetOptions ?? new VisionDatasetOptions();
            var train = Limit(VisionDatasets.Open(settings.Dataset, options with { Part = DatasetPart.Train }), settings);
            var test = VisionDatasets.Open(settings.Dataset, options with { Part = DatasetPart.Test });
            if (settings.MaxValidItems is { } maxValid && maxValid < test.Count)
            {
                test = new SubsetDataset(test, Enumerable.Range(0, maxValid));
            }
            if (test.Count == 0)
            {
                throw new ArgumentException($"Data set '{settings.Dataset}' has no test images to validate on.", nameof(settings));
            }
            return DatasetSplit.Parts(train, test);
        }

        IImageDataset dataset;
        if (settings.Data is { } data)
        {
            if (pretrained && data.Channels is not (1 or 3))
            {
                throw new ArgumentException(
                    $"Pretrained weights take 3-channel (or grey) images; the data has {data.Channels} channels.", nameof(settings));
            }
            dataset = data;
        }
        else
        {
            // Grey data stays grey for pretrained weights too: it becomes 3 channels at normalisation (ModelInput).
            dataset = VisionDatasets.Open(settings.Dataset, settings.DatasetOptions ?? new VisionDatasetOptions());
        }
        dataset = Limit(dataset, settings);
        var split = DatasetSplit.Random(dataset, settings.ValidFraction, settings.SplitSeed);
        if (split.Valid.Count == 0)
        {
            throw new ArgumentException(
                $"The validation share {settings.ValidFraction.ToString(CultureInfo.InvariantCulture)} of {dataset.Count} items leaves no validation item.", nameof(settings));
        }
        return split;
    }

    private static IImageDataset Limit(IImageDataset dataset, VisionTrialSettings settings)
    {
        if (settings.MaxItems is { } max && max < dataset.Count)
        {
            dataset = new SubsetDataset(dataset, Enumerable.Range(0, max));
        }
        if (dataset.Count < 2)
        {
            throw new ArgumentException($"Data set '{settings.Dataset}' has {dataset.Count} item(s); a trial needs training and validation items.", nameof(settings));
        }
        return dataset;
    }

    private static Resize ResizeFor(VisionTrialSettings settings, ModelInfo info, IImageDataset dataset)
    {
        int height, width;
        if (settings.Size is null && settings.Height is null && settings.Width is null && info.InputSize is { } fixedSize)
        {
            height = width = fixedSize;
        }
        else
        {
            var first = settings.Size is null && (settings.Height is null || settings.Width is null) ? dataset.Get(0).Image : default;
            height = settings.Height ?? settings.Size ?? first.Height;
            width = settings.Width ?? settings.Size ?? first.Width;
        }
        if (info.InputSize is { } size && (height != size || width != size))
        {
            throw new ArgumentException(
                $"{info.Name} takes {size}×{size} inputs only; the trial asks for {height}×{width} (declare the size with [ConstrainedBy(\"input_size\")]).",
                nameof(settings));
        }
        if (info.MinInputSize is { } min && (height < min || width < min))
        {
            throw new ArgumentException(
                $"{info.Name} takes inputs of at least {min}×{min} px; the trial asks for {height}×{width} (set Size, or Height and Width, to {min} or more).",
                nameof(settings));
        }
        return new Resize(height, width, settings.Resize, settings.PadMode);
    }

    private static string ResolvePretrained(string path, string architecture)
    {
        if (File.Exists(path))
        {
            return Path.GetFullPath(path);
        }
        if (Directory.Exists(path))
        {
            string candidate = Path.Combine(path, architecture + ".safetensors");
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
            throw new FileNotFoundException(
                $"No pretrained weights for {architecture} in '{Path.GetFullPath(path)}': expected {architecture}.safetensors there.", candidate);
        }
        throw new FileNotFoundException($"The pretrained weights '{Path.GetFullPath(path)}' do not exist.", path);
    }

    private static Dictionary<string, string> PropertiesOf(TrialContext context, VisionTrialSettings settings, FitResult fit, DatasetSplit split, string? weights)
    {
        static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["experiment"] = context.Experiment,
            ["trial_id"] = context.TrialId,
            ["seed"] = context.Seed.ToString(CultureInfo.InvariantCulture),
            ["dataset"] = settings.Dataset,
            ["learning_rate"] = Number(settings.LearningRate),
            ["epochs"] = settings.Epochs.ToString(CultureInfo.InvariantCulture),
            ["batch_size"] = settings.BatchSize.ToString(CultureInfo.InvariantCulture),
            ["accumulation"] = settings.Accumulation.ToString(CultureInfo.InvariantCulture),
            ["schedule"] = fit.Schedule,
            ["validation"] = settings.Validation == ValidationSource.TestPart ? "test part" : "random split",
            ["device"] = context.Device,
        };
        if (settings.Validation == ValidationSource.Split)
        {
            properties["split_seed"] = split.Seed.ToString(CultureInfo.InvariantCulture);
            properties["valid_fraction"] = Number(settings.ValidFraction);
        }
        if (fit.Schedule == TrainingSchedules.FineTune)
        {
            properties["freeze_epochs"] = settings.FreezeEpochs.ToString(CultureInfo.InvariantCulture);
            properties["lr_mult"] = Number(settings.LrMult);
        }
        if (weights is not null)
        {
            properties["pretrained"] = weights;
        }
        if (settings.Augmentation is not null)
        {
            properties["augmentation"] = "aug_transforms";
        }
        foreach (var parameter in context.Parameters)
        {
            properties.TryAdd("param." + parameter.Name, parameter.Display);
        }
        return properties;
    }

    private static void Validate(VisionTrialSettings s)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(s.Dataset, nameof(s.Dataset));
        ArgumentException.ThrowIfNullOrWhiteSpace(s.Architecture, nameof(s.Architecture));
        ArgumentOutOfRangeException.ThrowIfNegative(s.Epochs, nameof(s.Epochs));
        ArgumentOutOfRangeException.ThrowIfNegative(s.FreezeEpochs, nameof(s.FreezeEpochs));
        if (!(s.LrMult > 0) || !double.IsFinite(s.LrMult))
        {
            throw new ArgumentOutOfRangeException(nameof(s.LrMult), s.LrMult, "lr_mult must be positive and finite.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(s.Accumulation, 1, nameof(s.Accumulation));
        if (s.BatchSize % s.Accumulation != 0 || s.BatchSize / s.Accumulation < 2)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Batch size {s.BatchSize} must split into {s.Accumulation} micro-batches of at least 2 images each (BatchNorm needs two)."), nameof(s));
        }
        if (!(s.LearningRate > 0) || !double.IsFinite(s.LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(s.LearningRate), s.LearningRate, "The learning rate must be positive and finite.");
        }
        if (s.Size is < 1 || s.Height is < 1 || s.Width is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(s.Size), "Sizes must be positive.");
        }
        if (!(s.ValidFraction > 0 && s.ValidFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(s.ValidFraction), s.ValidFraction, "The validation share is a fraction above 0 and below 1 (0.2 for 20 %).");
        }
        if (s.MaxValidItems is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(s.MaxValidItems), s.MaxValidItems, "Keep at least one validation item.");
        }
        if (s.MaxItems is < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(s.MaxItems), s.MaxItems, "Keep at least two items.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(s.TtaPasses, 1, nameof(s.TtaPasses));
        if (!(s.TtaBeta >= 0 && s.TtaBeta <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(s.TtaBeta), s.TtaBeta, "The TTA beta weighs the plain pass: from 0 to 1.");
        }
        if (!Enum.IsDefined(s.Resize) || !Enum.IsDefined(s.PadMode) || !Enum.IsDefined(s.Pooling) || !Enum.IsDefined(s.Validation) || !Enum.IsDefined(s.RungStart))
        {
            throw new ArgumentException("Unknown resize method, pad mode, pooling, validation source or rung start.", nameof(s));
        }
        if (s.TopRungBudget is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(s.TopRungBudget), s.TopRungBudget, "The top rung's budget is at least 1 (null: unknown).");
        }
    }
}
