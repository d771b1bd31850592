using Experiments.Vision.Checkpoints;
using Experiments.Vision.Data;
using Experiments.Vision.Inference;
using Experiments.Vision.Models;
using Experiments.Vision.Pretrained;
using Experiments.Vision.Tests.Support;
using Experiments.Vision.Tests.Training;
using Experiments.Vision.Training;
using Experiments.Vision.Transforms;
using Experiments.Vision.Trials;

namespace Experiments.Vision.Tests.Trials;

/// <summary>
/// <see cref="VisionTrial"/> end to end on a tiny setting (a small catalog model, one epoch, 60 procedural images of
/// 16 px) with a recording <see cref="TrialContext"/>: what it reports, what it exports, and that it stops when cancelled.
/// </summary>
[Collection(SerialTorchCollection.Name)]
public sealed class VisionTrialTests : IDisposable
{
    private const string Architecture = ModelCatalog.RegNetY002;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static VisionTrialSettings Tiny(ResizeMethod resize = ResizeMethod.Crop) => new()
    {
        Dataset = VisionDatasets.Shapes,
        Architecture = Architecture,
        LearningRate = 1e-2,
        Resize = resize,
        Height = 16,
        Width = 24,
        Epochs = 1,
        BatchSize = 8,
        DatasetOptions = new VisionDatasetOptions { Count = 60, ImageSize = 16 },
        DecodeThreads = 1,
    };

    [Fact]
    public async Task A_trial_reports_its_metrics_and_exports_a_model_that_loads_back()
    {
        var observer = new RecordingObserver();
        string output = _temp.Combine("trial-output");
        var context = RecordingObserver.Context($"shapes/{Architecture}/crop#1", seed: 7, output, observer);

        var result = await VisionTrial.RunAsync(context, Tiny() with { Tta = true, TtaPasses = 2, Export = true, Threads = 1 });

        var metrics = result.Metrics;
        foreach (var name in new[]
        {
            MetricNames.ErrorRate, MetricNames.ValidLoss, MetricNames.TrainLoss, MetricNames.FitTime, MetricNames.PeakMemory,
            TrainingMetricNames.FrozenEpochs, TrainingMetricNames.TrainImagesPerSecond, VisionTrialMetricNames.TtaErrorRate,
            VisionTrialMetricNames.TtaTime, VisionTrialMetricNames.ParamCount, VisionTrialMetricNames.Pretrained,
            VisionTrialMetricNames.TrainImages, VisionTrialMetricNames.ValidImages,
        })
        {
            Assert.True(metrics.ContainsKey(name), $"missing metric {name}; got {string.Join(", ", metrics.Keys)}");
            Assert.True(double.IsFinite(metrics[name]), $"{name} = {metrics[name]}");
        }
        Assert.InRange(metrics[MetricNames.ErrorRate], 0, 1);
        Assert.InRange(metrics[VisionTrialMetricNames.TtaErrorRate], 0, 1);
        Assert.True(metrics[MetricNames.FitTime] > 0);
        Assert.True(metrics[MetricNames.PeakMemory] > 1 << 20, "peak memory is in bytes");
        // From scratch: one plain one-cycle fit, nothing frozen.
        Assert.Equal(0, metrics[TrainingMetricNames.FrozenEpochs]);
        Assert.Equal(0, metrics[VisionTrialMetricNames.Pretrained]);
        // What the numbers depend on beyond the declaration: the thread count the fit ran with, and fp32 by default.
        Assert.Equal(1, metrics[VisionTrialMetricNames.Threads]);
        Assert.Equal(0, metrics[VisionTrialMetricNames.MixedBf16]);
        // 60 items, 20 % validation with the fixed split seed.
        Assert.Equal((48, 12), (metrics[VisionTrialMetricNames.TrainImages], metrics[VisionTrialMetricNames.ValidImages]));
        Assert.DoesNotContain(TrainingMetricNames.AccuracyMulti, metrics.Keys);

        // Per-epoch metrics went through the context.
        var epochMetrics = observer.Metrics.Where(m => m.Epoch is not null).ToList();
        Assert.Equal(
            new[] { MetricNames.TrainLoss, MetricNames.ValidLoss, MetricNames.ErrorRate }.Order(),
            epochMetrics.Select(m => m.Name).Order());
        Assert.All(epochMetrics, m => Assert.Equal(1, m.Epoch));
        Assert.Equal(metrics[MetricNames.ErrorRate], epochMetrics.Single(m => m.Name == MetricNames.ErrorRate).Value);
        Assert.Contains(observer.Progress, p => p.Message?.StartsWith("TTA", StringComparison.Ordinal) == true);

        // The export: {arch}_{trial id without the architecture}, in the trial's output folder, named in the last progress message.
        string metadataPath = Path.Combine(output, $"{Architecture}_shapes-crop-1.json");
        Assert.True(File.Exists(metadataPath), $"no export at {metadataPath}: {string.Join(", ", Directory.GetFiles(output))}");
        Assert.Contains(metadataPath, observer.Progress[^1].Message);
        using var loaded = ModelExport.Load(metadataPath);
        var manifest = loaded.Manifest;
        Assert.Equal(Architecture, manifest.Architecture);
        Assert.Equal("shapes/crop#1", manifest.Description);
        Assert.Equal((16, 24), (manifest.ImageHeight, manifest.ImageWidth));
        Assert.Equal(ResizeMethod.Crop, manifest.ResizeMethod);
        Assert.Null(manifest.Normalization);
        Assert.Equal(ShapesDataset.ShapeNames, manifest.Classes);
        Assert.Equal(metrics[VisionTrialMetricNames.TtaErrorRate], manifest.Metrics[VisionTrialMetricNames.TtaErrorRate]);
        Assert.Equal(context.TrialId, manifest.Properties["trial_id"]);
        Assert.Equal(TrainingSchedules.OneCycle, manifest.Properties["schedule"]);
        Assert.Equal("7", manifest.Properties["seed"]);

        // The loaded model predicts the trial's validation set (same fixed split) with the trial's error rate.
        var data = VisionDatasets.Open(VisionDatasets.Shapes, new VisionDatasetOptions { Count = 60, ImageSize = 16 });
        var valid = DatasetSplit.Random(data, 0.2, seed: 42).Valid;
        using var predictions = loaded.Predict(valid, batchSize: 8);
        Assert.Equal(metrics[MetricNames.ErrorRate], predictions.ErrorRate(), 1e-9);
    }

    [Fact]
    public void A_rerun_replaces_the_export_in_the_trials_own_folder_and_a_shared_folder_keeps_both()
    {
        string own = _temp.Combine("own");
        var context = RecordingObserver.Context($"shapes/{Architecture}/crop#1", seed: 7, own, new RecordingObserver());

        var first = VisionTrial.Run(context, Tiny() with { Export = true }).Export!;
        var second = VisionTrial.Run(context, Tiny() with { Export = true }).Export!;

        Assert.Equal(first.MetadataPath, second.MetadataPath);
        Assert.Single(Directory.GetFiles(own, "*.json"));

        string shared = _temp.Combine("shared");
        var a = VisionTrial.Run(context, Tiny() with { Export = true, ExportDirectory = shared }).Export!;
        var b = VisionTrial.Run(context, Tiny() with { Export = true, ExportDirectory = shared }).Export!;
        Assert.NotEqual(a.MetadataPath, b.MetadataPath);
        Assert.Equal(2, Directory.GetFiles(shared, "*.json").Length);
    }

    [Fact]
    public void A_mixed_bf16_trial_records_its_precision_and_thread_count()
    {
        var context = RecordingObserver.Context($"shapes/{Architecture}/crop#1", seed: 7, _temp.Combine("bf16"), new RecordingObserver());

        var metrics = VisionTrial.Run(context, Tiny() with { MixedPrecision = MixedPrecision.Bf16, Threads = 2 }).ToTrialResult().Metrics;

        Assert.Equal(1, metrics[VisionTrialMetricNames.MixedBf16]);
        Assert.Equal(2, metrics[VisionTrialMetricNames.Threads]);
        Assert.InRange(metrics[MetricNames.ErrorRate], 0, 1);
    }

    /// <summary>A folder with a "pretrained" checkpoint of the reference model (its own 1000-class classifier is skipped on loading).</summary>
    private string PretrainedFolder(string name)
    {
        string weights = _temp.Combine(name);
        Directory.CreateDirectory(weights);
        using var reference = ModelCatalog.CreateReference(Architecture);
        ModelCheckpoint.Save(reference, Path.Combine(weights, Architecture + ".safetensors"));
        return weights;
    }

    [Fact]
    public void Pretrained_weights_from_a_folder_run_fine_tune_with_a_frozen_epoch_and_normalisation()
    {
        string weights = PretrainedFolder("weights");
        var observer = new RecordingObserver();
        var context = RecordingObserver.Context($"shapes/{Architecture}/squish#2", seed: 3, _temp.Path, observer);

        var outcome = VisionTrial.Run(context, Tiny(ResizeMethod.Squish) with { Pretrained = weights, Size = 16, Height = null, Width = null });

        Assert.Equal(TrainingSchedules.FineTune, outcome.Fit.Schedule);
        Assert.Equal(1, outcome.Fit.FrozenEpochs);
        Assert.Equal(2, outcome.Fit.Epochs.Count);
        Assert.Same(Normalization.ImageNet, outcome.Normalization);
        var metrics = outcome.ToTrialResult().Metrics;
        Assert.Equal(1, metrics[TrainingMetricNames.FrozenEpochs]);
        Assert.Equal(1, metrics[VisionTrialMetricNames.Pretrained]);
        Assert.DoesNotContain(VisionTrialMetricNames.TtaErrorRate, metrics.Keys);
        Assert.Null(outcome.Export);
        Assert.Equal([1, 2], observer.Metrics.Where(m => m.Name == MetricNames.ErrorRate).Select(m => m.Epoch!.Value));
        Assert.Equal((16, 16), (outcome.Resize.Height, outcome.Resize.Width));
    }

    [Fact]
    public void A_catalog_name_with_weights_fine_tunes_from_them_without_a_file_of_the_users()
    {
        var context = RecordingObserver.Context("shapes/resnet20.cntk_in1k#1", seed: 5, _temp.Combine("cntk-output"), new RecordingObserver());

        var outcome = VisionTrial.Run(context, Tiny(ResizeMethod.Squish) with { Architecture = ModelCatalog.ResNet20CntkIn1k, Size = 32, Height = null, Width = null });

        var metrics = outcome.ToTrialResult().Metrics;
        Assert.Equal(1, metrics[VisionTrialMetricNames.Pretrained]);
        Assert.Equal(1, metrics[TrainingMetricNames.FrozenEpochs]);
        Assert.Equal(TrainingSchedules.FineTune, outcome.Fit.Schedule);
        Assert.Same(Normalization.ImageNet, outcome.Normalization);
        Assert.True(File.Exists(Path.Combine(PretrainedWeights.CacheFolder(), "resnet20.cntk_in1k.safetensors")));
    }

    [Fact]
    public void Pretrained_weights_take_grey_data_as_it_is_and_export_a_3_channel_model()
    {
        string weights = PretrainedFolder("weights-grey");
        var context = RecordingObserver.Context($"shapes/{Architecture}/squish#3", seed: 3, _temp.Combine("grey-output"), new RecordingObserver());
        var settings = Tiny(ResizeMethod.Squish) with
        {
            Pretrained = weights,
            DatasetOptions = new VisionDatasetOptions { Count = 60, ImageSize = 16, Channels = 1 },
            Tta = true,
            TtaPasses = 1,
            Export = true,
        };

        var outcome = VisionTrial.Run(context, settings);

        // The loader kept one channel; the model (and its export) takes three.
        Assert.Equal(1, outcome.Split.Train.Channels);
        Assert.True(double.IsFinite(outcome.Fit.Epochs[^1].ValidLoss));
        using var exported = ModelExport.Load(outcome.Export!.MetadataPath);
        Assert.Equal(3, exported.Manifest.InputChannels);
    }

    [Fact]
    public void Accumulation_splits_the_batch_and_steps_once_per_batch_size_images()
    {
        var context = RecordingObserver.Context($"shapes/{Architecture}/squish#1", seed: 5, _temp.Path, new RecordingObserver());

        var outcome = VisionTrial.Run(context, Tiny(ResizeMethod.Squish) with { BatchSize = 16, Accumulation = 4 });

        // 48 training images in micro-batches of 16 / 4 = 4: 12 batches, one step per 16 images.
        Assert.Equal(48, outcome.Fit.TrainImages);
        Assert.Equal(3, outcome.Fit.OptimizerSteps);
    }

    [Fact]
    public async Task Cancellation_stops_the_trial_between_batches_and_exports_nothing()
    {
        using var cancellation = new CancellationTokenSource();
        var observer = new RecordingObserver { OnMetricRecorded = (_, _, _) => cancellation.Cancel() };
        string output = _temp.Combine("cancelled");
        var context = RecordingObserver.Context($"shapes/{Architecture}/crop#1", seed: 7, output, observer, cancellation.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => VisionTrial.RunAsync(context, Tiny() with { Epochs = 20, Tta = true, Export = true }));

        // Cancelled at the end of epoch 1 (its first metric): no later epoch ran.
        Assert.All(observer.Metrics, m => Assert.Equal(1, m.Epoch));
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any());
    }

    [Fact]
    public async Task A_cancelled_context_starts_nothing()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        var observer = new RecordingObserver();
        var context = RecordingObserver.Context($"shapes/{Architecture}/crop#1", seed: 7, _temp.Path, observer, cancellation.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => VisionTrial.RunAsync(context, Tiny()));
        Assert.Throws<OperationCanceledException>(() => VisionTrial.Run(context, Tiny()));
        Assert.Empty(observer.Metrics);
    }

    [Theory]
    [InlineData(64, 3, "micro-batches")]
    [InlineData(4, 4, "micro-batches")]
    public void Batch_sizes_that_do_not_split_into_micro_batches_are_refused(int batchSize, int accumulation, string message)
    {
        var context = RecordingObserver.Context("shapes/x/crop#1", seed: 1, _temp.Path, new RecordingObserver());

        var error = Assert.Throws<ArgumentException>(() => VisionTrial.Run(context, Tiny() with { BatchSize = batchSize, Accumulation = accumulation }));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_size_other_than_a_fixed_input_size_is_refused_before_training()
    {
        var context = RecordingObserver.Context("shapes/vit/crop#1", seed: 1, _temp.Path, new RecordingObserver());

        var error = Assert.Throws<ArgumentException>(() => VisionTrial.Run(context, Tiny() with { Architecture = ModelCatalog.ViTTinyPatch4x32 }));

        Assert.Contains("32×32", error.Message);
        Assert.Contains("16×24", error.Message);
    }

    [Fact]
    public void A_size_below_a_models_minimum_is_refused_before_training()
    {
        var context = RecordingObserver.Context("shapes/convnext/crop#1", seed: 1, _temp.Path, new RecordingObserver());

        var error = Assert.Throws<ArgumentException>(() => VisionTrial.Run(context, Tiny() with { Architecture = ModelCatalog.ConvNeXtAtto }));

        Assert.Contains("convnext_atto", error.Message);
        Assert.Contains("at least 32×32", error.Message);
        Assert.Contains("16×24", error.Message);
    }

    [Fact]
    public void Missing_pretrained_weights_name_the_file_looked_for()
    {
        var context = RecordingObserver.Context("shapes/x/crop#1", seed: 1, _temp.Path, new RecordingObserver());

        var error = Assert.Throws<FileNotFoundException>(() => VisionTrial.Run(context, Tiny() with { Pretrained = _temp.Path }));

        Assert.Contains($"{Architecture}.safetensors", error.Message);
    }

    [Theory]
    [InlineData("shapes/resnet18/squish#2", "resnet18", "shapes/squish#2")]
    [InlineData("shapes/lr=0.008/squish#1", "resnet18", "shapes/lr=0.008/squish#1")]
    [InlineData("resnet18#1", "resnet18", "#1")]
    public void The_export_description_is_the_trial_id_without_the_architecture(string id, string architecture, string expected)
    {
        var trial = new Trial("E", id, 0, 1, 1, []);

        Assert.Equal(expected, VisionTrial.DescriptionOf(trial, architecture));
    }
}
