using Experiments.Vision.Training;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Training;

/// <summary>
/// <see cref="LearnerOptions.MaxFitTime"/>: a fake clock that advances one second per training batch (validation takes
/// no time on it), so the plan is exact and nothing depends on the machine's speed.
/// </summary>
[Collection(SerialTorchCollection.Name)]
public sealed class FitBudgetTests
{
    [Fact]
    public void A_budget_lays_the_one_cycle_schedule_over_the_epochs_that_fit_and_the_schedule_ends()
    {
        random.manual_seed(41);
        using var model = TrainingFixtures.TinyVisionModel(3);
        // 16 training items in batches of 4: 4 batches an epoch; 8 validation items.
        var (train, valid) = TrainingFixtures.ShapesLoaders(16, 8, 4, validCount: 8);
        var clock = new SecondPerBatch();
        using var learner = new Learner(model, train, valid, new LearnerOptions
        {
            MaxFitTime = TimeSpan.FromSeconds(10),
            TimeProvider = clock,
            Callbacks = [clock.Callback],
        });

        var fit = learner.FitOneCycle(10, 1e-2);

        // After 3 calibration steps (1 s each, the first not counted) 7 s are left; an epoch is 4 steps and an estimated
        // 0.67 s of validation (8 images × ¼ s per image / 3), so (7 + 3) / 4.67 → 2 epochs of the 10 asked.
        Assert.Equal(2, fit.Epochs.Count);
        Assert.Equal(8, fit.OptimizerSteps);
        Assert.False(fit.StoppedAtBudget);
        Assert.Equal(10, fit.BudgetSeconds);
        Assert.Contains((MetricNames.FitBudget, 10.0), fit.Metrics());
        Assert.True(clock.Seconds <= 10);
        // The schedule was laid out over the 8 planned steps from the calibration on, and its last step is its last value.
        Assert.All(clock.Batches.Skip(3), b => Assert.Equal(8, b.TotalSteps));
        var last = clock.Batches[^1];
        Assert.Equal(7, last.Step);
        Assert.Equal(OneCycleSchedule.Default.LearningRate(1e-2, 7, 8), last.LearningRates[0], 12);
        // fastai's last batch sees position (T − 1) / T: with 8 steps the cosine is nearly down, the lowest rate of the fit.
        Assert.True(last.LearningRates[0] < 1e-2 / 10, $"the last learning rate {last.LearningRates[0]} is near the schedule's end");
        Assert.Equal(clock.Batches.Skip(3).Min(b => b.LearningRates[0]), last.LearningRates[0]);
    }

    [Fact]
    public void A_fit_whose_first_epoch_does_not_fit_stops_at_the_budget_and_says_so()
    {
        random.manual_seed(42);
        using var model = TrainingFixtures.TinyVisionModel(3);
        var (train, valid) = TrainingFixtures.ShapesLoaders(16, 8, 4, validCount: 8);
        var clock = new SecondPerBatch();
        using var learner = new Learner(model, train, valid, new LearnerOptions
        {
            MaxFitTime = TimeSpan.FromSeconds(2),
            TimeProvider = clock,
            Callbacks = [clock.Callback],
        });

        var fit = learner.FitOneCycle(3, 1e-2);

        Assert.True(fit.StoppedAtBudget);
        Assert.Equal(2, fit.OptimizerSteps); // the clock reached 2 s after the second batch
        var epoch = Assert.Single(fit.Epochs); // the begun epoch is validated and reported
        Assert.True(double.IsFinite(epoch.ValidLoss));
        Assert.Contains("stopped at it", fit.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_budget_every_asked_epoch_runs()
    {
        random.manual_seed(43);
        using var model = TrainingFixtures.TinyVisionModel(3);
        var (train, valid) = TrainingFixtures.ShapesLoaders(16, 8, 4, validCount: 8);
        var clock = new SecondPerBatch();
        using var learner = new Learner(model, train, valid, new LearnerOptions { TimeProvider = clock, Callbacks = [clock.Callback] });

        var fit = learner.FitOneCycle(3, 1e-2);

        Assert.Equal(3, fit.Epochs.Count);
        Assert.Null(fit.BudgetSeconds);
        Assert.DoesNotContain(fit.Metrics(), m => m.Name == MetricNames.FitBudget);
    }

    [Theory]
    [InlineData(10, 1, 0, 4, 1.0, 0.0, 100.0, 10)] // everything fits: at most the asked epochs
    [InlineData(10, 1, 0, 4, 1.0, 0.0, 20.0, 5)]
    [InlineData(10, 1, 3, 4, 1.0, 1.0, 7.0, 2)] // (7 + 3·1) / (4 + 1) = 2
    [InlineData(10, 1, 0, 4, 1.0, 0.0, 1.0, 1)] // never fewer than one epoch (the budget then stops it)
    [InlineData(10, 3, 12, 4, 1.0, 0.0, 0.5, 3)] // never fewer than the epochs already begun
    [InlineData(10, 1, 3, 4, 0.0, 0.0, 1.0, 10)] // nothing measured takes time
    public void Planned_epochs_are_what_fits_between_the_begun_and_the_asked(
        int asked, int min, int done, int batches, double step, double validation, double available, int expected) =>
        Assert.Equal(expected, FitBudget.PlanEpochs(asked, min, done, batches, step, validation, available));

    [Fact]
    public void A_budget_that_is_not_positive_is_refused_with_its_name()
    {
        using var model = TrainingFixtures.TinyVisionModel(3);
        var (train, valid) = TrainingFixtures.ShapesLoaders(16, 8, 4, validCount: 8);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Learner(model, train, valid, new LearnerOptions { MaxFitTime = TimeSpan.Zero }));
        Assert.Contains("MaxFitTime", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A clock that moves one second before every training batch, and the batches it saw.</summary>
    private sealed class SecondPerBatch : TimeProvider
    {
        private long _ticks;

        public List<TrainingBatchInfo> Batches { get; } = [];

        public double Seconds => _ticks / (double)TimestampFrequency;

        public override long TimestampFrequency => 1000;

        public override long GetTimestamp() => _ticks;

        /// <summary>The callback that moves the clock.</summary>
        public LearnerCallback Callback => new Advance(this);

        private sealed class Advance(SecondPerBatch clock) : LearnerCallback
        {
            public override void BeforeBatch(Learner learner, TrainingBatchInfo batch)
            {
                clock._ticks += clock.TimestampFrequency;
                clock.Batches.Add(batch);
            }
        }
    }
}
