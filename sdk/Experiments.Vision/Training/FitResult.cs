using System.Globalization;

namespace Experiments.Vision.Training;

/// <summary>Metric names the learner reports beyond <see cref="MetricNames"/>.</summary>
public static class TrainingMetricNames
{
    /// <summary>Multi-label: fastai's <c>accuracy_multi(thresh=0.5, sigmoid=True)</c>; <c>error_rate</c> is 1 − this.</summary>
    public const string AccuracyMulti = "accuracy_multi";

    /// <summary>
    /// Epochs run with the body frozen: <c>freeze_epochs</c> after <c>fine_tune</c> of a pretrained model, 0 after a plain
    /// one-cycle fit (a model trained from scratch) — so the metrics say which schedule ran.
    /// </summary>
    public const string FrozenEpochs = "frozen_epochs";

    /// <summary>Training images per second over the fit (training batches only, augmentation and steps included).</summary>
    public const string TrainImagesPerSecond = "train_images_per_second";
}

/// <summary>The schedules a <see cref="Learner"/> runs.</summary>
public static class TrainingSchedules
{
    /// <summary><see cref="Learner.FineTune"/> of a pretrained model: frozen one-cycle, then unfrozen one-cycle.</summary>
    public const string FineTune = "fine_tune";

    /// <summary>One one-cycle fit (<see cref="Learner.FitOneCycle(int, LearningRates, OneCycleSchedule?)"/>, or <see cref="Learner.FineTune"/> of a model without pretrained weights).</summary>
    public const string OneCycle = "fit_one_cycle";

    /// <summary>Constant learning rate and momentum (<see cref="Learner.Fit"/>).</summary>
    public const string Constant = "fit";
}

/// <summary>The metrics of one epoch.</summary>
/// <param name="Epoch">1-based epoch over the whole call (a <c>fine_tune</c>'s frozen epochs first).</param>
/// <param name="Phase">"frozen", "unfrozen", "one_cycle" or "fit".</param>
/// <param name="TrainLoss">fastai's reported <c>train_loss</c>: the debiased exponential moving average (β 0.98) of the
/// batch losses of the fit so far (<c>AvgSmoothLoss</c>), read at the end of the epoch.</param>
/// <param name="TrainLossMean">The plain mean of this epoch's batch losses, weighted by batch size.</param>
/// <param name="ValidLoss">Validation loss, averaged over batches weighted by batch size.</param>
/// <param name="ErrorRate">1 − accuracy (single-label) or 1 − <c>accuracy_multi</c> (multi-label).</param>
/// <param name="AccuracyMulti">Multi-label only: <c>accuracy_multi(thresh=0.5, sigmoid=True)</c>.</param>
/// <param name="Seconds">Wall time of the epoch, validation included.</param>
public sealed record EpochMetrics(int Epoch, string Phase, double TrainLoss, double TrainLossMean, double ValidLoss, double ErrorRate, double? AccuracyMulti, double Seconds);

/// <summary>What a fit did and reached.</summary>
/// <param name="Schedule">Which schedule ran (<see cref="TrainingSchedules"/>).</param>
/// <param name="Epochs">Every epoch of the call.</param>
/// <param name="FrozenEpochs">Epochs with the body frozen.</param>
/// <param name="FitTimeSeconds">Wall time of the whole call (training and validation).</param>
/// <param name="PeakMemoryBytes">Peak memory during the call (see <paramref name="PeakMemorySource"/>).</param>
/// <param name="PeakMemorySource">What <paramref name="PeakMemoryBytes"/> measures.</param>
/// <param name="Precision">"fp32", "tf32" (CUDA) or "bf16-mixed" (<see cref="MixedPrecision.Bf16"/>).</param>
/// <param name="TrainImages">Training images seen.</param>
/// <param name="TrainSeconds">Time spent in training batches (loading waits, forward, backward, steps).</param>
/// <param name="OptimizerSteps">Optimizer steps taken.</param>
public sealed record FitResult(
    string Schedule,
    IReadOnlyList<EpochMetrics> Epochs,
    int FrozenEpochs,
    double FitTimeSeconds,
    long PeakMemoryBytes,
    string PeakMemorySource,
    string Precision,
    long TrainImages,
    double TrainSeconds,
    long OptimizerSteps)
{
    /// <summary>The wall-clock budget of the fit in seconds (<see cref="LearnerOptions.MaxFitTime"/>); null without one.</summary>
    public double? BudgetSeconds { get; init; }

    /// <summary>The budget was spent before the planned epochs ended, so the fit stopped early (its schedule did not complete).</summary>
    public bool StoppedAtBudget { get; init; }

    /// <summary>The last epoch's metrics (null when no epoch ran).</summary>
    public EpochMetrics? Final => Epochs.Count > 0 ? Epochs[^1] : null;

    public double TrainLoss => Final?.TrainLoss ?? double.NaN;

    public double ValidLoss => Final?.ValidLoss ?? double.NaN;

    public double ErrorRate => Final?.ErrorRate ?? double.NaN;

    /// <summary>Training throughput over the call.</summary>
    public double TrainImagesPerSecond => TrainSeconds > 0 ? TrainImages / TrainSeconds : 0;

    /// <summary>The final metrics by name: error_rate, valid_loss, train_loss, fit_time, peak_memory, frozen_epochs, train_images_per_second (+ accuracy_multi, fit_budget).</summary>
    public IReadOnlyList<(string Name, double Value)> Metrics()
    {
        var metrics = new List<(string, double)>
        {
            (MetricNames.ErrorRate, ErrorRate),
            (MetricNames.ValidLoss, ValidLoss),
            (MetricNames.TrainLoss, TrainLoss),
            (MetricNames.FitTime, FitTimeSeconds),
            (MetricNames.PeakMemory, PeakMemoryBytes),
            (TrainingMetricNames.FrozenEpochs, FrozenEpochs),
            (TrainingMetricNames.TrainImagesPerSecond, TrainImagesPerSecond),
        };
        if (Final?.AccuracyMulti is { } accuracy)
        {
            metrics.Add((TrainingMetricNames.AccuracyMulti, accuracy));
        }
        if (BudgetSeconds is { } budget)
        {
            metrics.Add((MetricNames.FitBudget, budget));
        }
        return metrics;
    }

    /// <summary>A passed <see cref="TrialResult"/> with <see cref="Metrics"/>.</summary>
    public TrialResult ToTrialResult() => TrialResult.Success([.. Metrics()]);

    public override string ToString()
    {
        string budget = BudgetSeconds is { } seconds
            ? string.Create(CultureInfo.InvariantCulture, $", budget {seconds:0.#} s{(StoppedAtBudget ? " (stopped at it)" : "")}")
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Schedule}: {Epochs.Count} epoch(s), error_rate {ErrorRate:0.####}, valid_loss {ValidLoss:0.####}, train_loss {TrainLoss:0.####}, "
            + $"{FitTimeSeconds:0.#} s, {TrainImagesPerSecond:0} img/s, peak {PeakMemoryBytes / (1024.0 * 1024):0} MiB ({PeakMemorySource}), {Precision}{budget}");
    }
}

/// <summary>A training loss was NaN or infinite: the fit diverged (try a lower learning rate).</summary>
public sealed class NonFiniteLossException(string message) : Exception(message);
