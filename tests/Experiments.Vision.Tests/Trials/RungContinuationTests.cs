using Experiments.Vision.Checkpoints;
using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Tests.Support;
using Experiments.Vision.Tests.Training;
using Experiments.Vision.Training;
using Experiments.Vision.Transforms;
using Experiments.Vision.Trials;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Trials;

/// <summary>
/// Vision trials in a successive-halving experiment (<see cref="TrialContext.Rung"/> set): the continuation checkpoint a
/// rung below the top leaves, the rung above that continues from it (or restarts when it cannot), <c>budget_spent</c>,
/// and grid trials left as they were. Tiny settings: a small model, 60 procedural 16 px images, rungs of 1 and 3 epochs.
/// </summary>
[Collection(SerialTorchCollection.Name)]
public sealed class RungContinuationTests : IDisposable
{
    private const string Architecture = ModelCatalog.RegNetY002;
    private const int Seed = 7;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static VisionTrialSettings Tiny(int epochs) => new()
    {
        Dataset = VisionDatasets.Shapes,
        Architecture = Architecture,
        LearningRate = 1e-2,
        Size = 16,
        Epochs = epochs,
        BatchSize = 8,
        DatasetOptions = new VisionDatasetOptions { Count = 60, ImageSize = 16 },
        DecodeThreads = 1,
        TopRungBudget = 3,
        RungStart = RungStart.Continue,
    };

    private static string IdAt(int epochs) => $"shapes/{Architecture}/epochs={epochs}#1";

    private TrialContext Context(string folder, int epochs, SearchRung? rung, RecordingObserver? observer = null) =>
        RecordingObserver.Context(IdAt(epochs), Seed, _temp.Combine(folder), observer ?? new RecordingObserver(), rung: rung);

    /// <summary>Rung 0 (1 epoch) into <paramref name="folder"/>: the trial the rung of 3 epochs continues from.</summary>
    private VisionTrialOutcome FirstRung(string folder) =>
        VisionTrial.Run(Context(folder, 1, new SearchRung(0, 1, null, null, null)), Tiny(1));

    private SearchRung SecondRung(string previousFolder) => new(1, 3, 1, IdAt(1), _temp.Combine(previousFolder));

    private static Dictionary<string, double> MetricsOf(VisionTrialOutcome outcome) => outcome.ToTrialResult().Metrics.ToDictionary();

    [Fact]
    public void Only_a_rung_below_the_top_writes_a_continuation_checkpoint()
    {
        var first = FirstRung("rung0");
        Assert.True(File.Exists(_temp.Combine("rung0", ContinuationCheckpoint.FileName)));
        Assert.Equal(Architecture, ModelCheckpoint.ReadMetadata(_temp.Combine("rung0", ContinuationCheckpoint.FileName))["model"]);

        // The top rung (TopRungBudget 3): nothing continues from it.
        VisionTrial.Run(Context("rung1", 3, SecondRung("rung0")), Tiny(3));
        Assert.False(File.Exists(_temp.Combine("rung1", ContinuationCheckpoint.FileName)));

        // The runner's rung says it is the top: no checkpoint either, without TopRungBudget.
        VisionTrial.Run(Context("top", 3, SecondRung("rung0") with { IsTop = true }), Tiny(3) with { TopRungBudget = null });
        Assert.False(File.Exists(_temp.Combine("top", ContinuationCheckpoint.FileName)));

        // Restarting rungs write none either: nothing would read it.
        VisionTrial.Run(Context("restart0", 1, new SearchRung(0, 1, null, null, null)), Tiny(1) with { RungStart = RungStart.Restart });
        Assert.False(File.Exists(_temp.Combine("restart0", ContinuationCheckpoint.FileName)));
        Assert.Equal(1, MetricsOf(first)[VisionTrialMetricNames.BudgetSpent]);
    }

    [Fact]
    public void By_default_a_model_trained_from_scratch_restarts_every_rung()
    {
        var first = VisionTrial.Run(Context("rung0", 1, new SearchRung(0, 1, null, null, null)), Tiny(1) with { RungStart = RungStart.Auto });
        var second = VisionTrial.Run(Context("rung1", 3, SecondRung("rung0")), Tiny(3) with { RungStart = RungStart.Auto, TopRungBudget = 9 });

        Assert.Equal(RungStart.Auto, new VisionTrialSettings { Dataset = "d", Architecture = "a" }.RungStart);
        Assert.False(File.Exists(_temp.Combine("rung0", ContinuationCheckpoint.FileName)));
        Assert.False(File.Exists(_temp.Combine("rung1", ContinuationCheckpoint.FileName)));
        Assert.Equal(3, MetricsOf(second)[VisionTrialMetricNames.BudgetSpent]);
        Assert.Equal(0, MetricsOf(second)[VisionTrialMetricNames.Continued]);
        Assert.Equal(1, MetricsOf(first)[VisionTrialMetricNames.BudgetSpent]);
    }

    [Fact]
    public void A_continued_trial_starts_from_the_rung_belows_model_and_trains_only_the_added_epochs()
    {
        FirstRung("rung0");
        var observer = new RecordingObserver();

        var continued = VisionTrial.Run(Context("rung1", 3, SecondRung("rung0"), observer), Tiny(3));

        Assert.Equal(_temp.Combine("rung0", ContinuationCheckpoint.FileName), continued.ContinuedFrom);
        Assert.Equal(2, continued.Fit.Epochs.Count);
        var metrics = MetricsOf(continued);
        Assert.Equal(2, metrics[VisionTrialMetricNames.BudgetSpent]);
        Assert.Equal(1, metrics[VisionTrialMetricNames.Continued]);
        Assert.Contains(observer.Progress, p => p.Message?.StartsWith($"continuing from {IdAt(1)}", StringComparison.Ordinal) == true);
        // Its epochs are numbered from 1 in its own record (the rung below's epochs are in the rung below's).
        Assert.Equal([1, 2], observer.Metrics.Where(m => m.Name == MetricNames.ErrorRate && m.Epoch is not null).Select(m => m.Epoch!.Value));
    }

    [Fact]
    public void The_checkpoint_loads_the_saved_weights_and_statistics_into_a_fresh_model()
    {
        random.manual_seed(1);
        using var trained = ModelCatalog.Create(Architecture, 4, 3);
        ContinuationCheckpoint.Save(trained, _temp.Path, epochs: 3);
        random.manual_seed(2);
        using var fresh = ModelCatalog.Create(Architecture, 4, 3);
        Assert.False(StatesEqual(trained, fresh));

        Assert.Null(ContinuationCheckpoint.TryLoad(fresh, _temp.Path, epochs: 3));

        Assert.True(StatesEqual(trained, fresh));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("truncated")]
    [InlineData("other epochs")]
    [InlineData("other classes")]
    public void An_unusable_checkpoint_is_reported_and_leaves_the_model_unchanged(string damage)
    {
        random.manual_seed(1);
        using var saved = ModelCatalog.Create(Architecture, damage == "other classes" ? 5 : 4, 3);
        string path = _temp.Combine(ContinuationCheckpoint.FileName);
        if (damage != "missing")
        {
            ContinuationCheckpoint.Save(saved, _temp.Path, epochs: damage == "other epochs" ? 2 : 3);
        }
        if (damage == "truncated")
        {
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        }
        random.manual_seed(2);
        using var model = ModelCatalog.Create(Architecture, 4, 3);
        random.manual_seed(2);
        using var untouched = ModelCatalog.Create(Architecture, 4, 3);

        string? reason = ContinuationCheckpoint.TryLoad(model, _temp.Path, epochs: 3);

        Assert.NotNull(reason);
        Assert.Contains(path, reason);
        Assert.True(StatesEqual(untouched, model));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_missing_or_corrupt_checkpoint_restarts_the_trial_as_restart_would_and_says_why(bool corrupt)
    {
        Directory.CreateDirectory(_temp.Combine("rung0"));
        if (corrupt)
        {
            File.WriteAllText(_temp.Combine("rung0", ContinuationCheckpoint.FileName), "not a safetensors file");
        }
        var observer = new RecordingObserver();

        var fallback = VisionTrial.Run(Context("rung1", 3, SecondRung("rung0"), observer), Tiny(3));
        var restart = VisionTrial.Run(Context("restart1", 3, SecondRung("rung0")), Tiny(3) with { RungStart = RungStart.Restart });

        Assert.Null(fallback.ContinuedFrom);
        var metrics = MetricsOf(fallback);
        Assert.Equal(3, metrics[VisionTrialMetricNames.BudgetSpent]);
        Assert.Equal(0, metrics[VisionTrialMetricNames.Continued]);
        Assert.Contains(observer.Progress, p => p.Message?.StartsWith("restarting at 3 epochs", StringComparison.Ordinal) == true);
        // The same fit as a restart: same initialisation, same batches.
        Assert.Equal(MetricsOf(restart)[MetricNames.ErrorRate], metrics[MetricNames.ErrorRate]);
        Assert.Equal(MetricsOf(restart)[MetricNames.TrainLoss], metrics[MetricNames.TrainLoss]);
    }

    [Fact]
    public void Restart_trains_the_whole_budget_even_with_a_checkpoint_below()
    {
        FirstRung("rung0");

        var restart = VisionTrial.Run(Context("rung1", 3, SecondRung("rung0")), Tiny(3) with { RungStart = RungStart.Restart });

        Assert.Null(restart.ContinuedFrom);
        Assert.Equal(3, restart.Fit.Epochs.Count);
        Assert.Equal(3, MetricsOf(restart)[VisionTrialMetricNames.BudgetSpent]);
    }

    [Fact]
    public void A_grid_trial_trains_and_reports_as_before()
    {
        var grid = VisionTrial.Run(Context("grid", 1, rung: null), Tiny(1));
        var rung0 = FirstRung("rung0");

        var gridMetrics = MetricsOf(grid);
        Assert.DoesNotContain(VisionTrialMetricNames.BudgetSpent, gridMetrics.Keys);
        Assert.DoesNotContain(VisionTrialMetricNames.Continued, gridMetrics.Keys);
        Assert.False(File.Exists(_temp.Combine("grid", ContinuationCheckpoint.FileName)));
        // Rung 0 trains exactly what the grid trial trains; it only adds its two metrics.
        var rungMetrics = MetricsOf(rung0);
        Assert.Equal(gridMetrics[MetricNames.ErrorRate], rungMetrics[MetricNames.ErrorRate]);
        Assert.Equal(gridMetrics[MetricNames.TrainLoss], rungMetrics[MetricNames.TrainLoss]);
        Assert.Equal(gridMetrics.Keys.Order(), rungMetrics.Keys.Except([VisionTrialMetricNames.BudgetSpent, VisionTrialMetricNames.Continued]).Order());
    }

    [Fact]
    public void A_pretrained_trial_continues_unfrozen_and_counts_its_frozen_epoch_when_it_restarts()
    {
        string weights = _temp.Combine("weights");
        Directory.CreateDirectory(weights);
        using (var reference = ModelCatalog.CreateReference(Architecture))
        {
            ModelCheckpoint.Save(reference, Path.Combine(weights, Architecture + ".safetensors"));
        }
        // The default (Auto) continues a pretrained model.
        var settings = Tiny(1) with { Pretrained = weights, RungStart = RungStart.Auto };
        var first = VisionTrial.Run(Context("rung0", 1, new SearchRung(0, 1, null, null, null)), settings);
        Assert.Equal(2, MetricsOf(first)[VisionTrialMetricNames.BudgetSpent]); // fine_tune: 1 frozen + 1

        var continued = VisionTrial.Run(Context("rung1", 3, SecondRung("rung0")), settings with { Epochs = 3 });

        Assert.NotNull(continued.ContinuedFrom);
        Assert.Equal(TrainingSchedules.FineTune, continued.Fit.Schedule);
        Assert.Equal(0, continued.Fit.FrozenEpochs);
        Assert.Equal(2, MetricsOf(continued)[VisionTrialMetricNames.BudgetSpent]);
        Assert.Same(Normalization.ImageNet, continued.Normalization);
    }

    private static bool StatesEqual(nn.Module a, nn.Module b)
    {
        var left = a.state_dict();
        var right = b.state_dict();
        return left.Count == right.Count && left.All(entry => right.TryGetValue(entry.Key, out var other) && entry.Value.equal(other).all().item<bool>());
    }
}
