namespace Experiments.Vision.Trials;

/// <summary>
/// Final metrics a <see cref="VisionTrial"/> reports beyond <see cref="MetricNames"/> (error_rate, valid_loss,
/// train_loss, fit_time, peak_memory) and the learner's <see cref="Training.TrainingMetricNames"/> (frozen_epochs,
/// train_images_per_second, accuracy_multi).
/// </summary>
public static class VisionTrialMetricNames
{
    /// <summary>Error rate of the validation set with test-time augmentation (fastai's <c>tta()</c>); only when <see cref="VisionTrialSettings.Tta"/>.</summary>
    public const string TtaErrorRate = "tta_error_rate";

    /// <summary>Seconds of the TTA passes (not part of <c>fit_time</c>); only when <see cref="VisionTrialSettings.Tta"/>.</summary>
    public const string TtaTime = "tta_time";

    /// <summary>Parameters of the model (body and head) at this data set's classes and channels.</summary>
    public const string ParamCount = "param_count";

    /// <summary>1 when the body started from pretrained weights (<c>fine_tune</c> ran), 0 when trained from scratch (one-cycle).</summary>
    public const string Pretrained = MetricNames.Pretrained;

    /// <summary>
    /// The error rate of a predictor that ignores the images, on the same validation images: the majority class of the
    /// training images (single-label), or each label's majority presence in the training images (multi-label). The
    /// report compares every configuration with it (<see cref="MetricNames.BaselineOf"/>).
    /// </summary>
    public const string BaselineErrorRate = "baseline_error_rate";

    /// <summary>1 when the data is a packaged sample (e.g. Fashion-MNIST's 1,000 + 200 images), 0 when it is the full set.</summary>
    public const string DataSample = MetricNames.DataSample;

    /// <summary>
    /// LibTorch's thread count in the trial's last fit: chosen at the start of every fit from the cores other processes
    /// leave (<see cref="Training.LearnerOptions.Threads"/>) unless <see cref="VisionTrialSettings.Threads"/> fixes it.
    /// The same seed repeats a trial's numbers exactly only at the same count: LibTorch's sums run in another order
    /// with another count.
    /// </summary>
    public const string Threads = "threads";

    /// <summary>1 when the trial trained in mixed bf16 (<see cref="Training.MixedPrecision.Bf16"/>), 0 in fp32 (or TF32 on CUDA).</summary>
    public const string MixedBf16 = "mixed_bf16";

    /// <summary>Training images after the split.</summary>
    public const string TrainImages = MetricNames.TrainImages;

    /// <summary>Validation images after the split.</summary>
    public const string ValidImages = MetricNames.ValidImages;

    /// <summary>
    /// Epochs the trial actually trained, in a successive-halving experiment: the added epochs when it continued from the
    /// rung below, its whole budget (with fine_tune's frozen epochs) when it restarted. The report sums it as the search's
    /// budget spent.
    /// </summary>
    public const string BudgetSpent = "budget_spent";

    /// <summary>1 when a trial of a successive-halving experiment continued from the rung below, 0 when it started over.</summary>
    public const string Continued = "continued";
}
