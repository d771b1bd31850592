using Experiments.Vision.Transforms;
using static TorchSharp.torch;

namespace Experiments.Vision.Training;

/// <summary>How precise the arithmetic of a fit is.</summary>
public enum MixedPrecision
{
    /// <summary>
    /// The fastest the device supports: on CUDA, TF32 tensor-core matrix products and convolutions (float32 storage,
    /// 10-bit mantissa inputs); on the CPU plain float32, also where the CPU has bf16 arithmetic: mixed bf16 speeds up
    /// models dominated by dense convolutions (resnet18) but not small ones (convnext_atto, resnet20), and a default that
    /// depends on the CPU would make one sweep's trials compute differently on different machines.
    /// </summary>
    Auto,

    /// <summary>Plain float32 everywhere.</summary>
    Off,

    /// <summary>
    /// Mixed bf16 (fastai's <c>to_fp16</c> with bfloat16): forward and backward in bf16, fp32 master weights and optimizer
    /// state, the loss and its reduction in fp32, normalisation layers (weights and BatchNorm statistics) in fp32. On the
    /// CPU it pays only where the CPU has bf16 arithmetic (<c>avx512_bf16</c> or AMX); on CUDA it needs an Ampere or newer GPU.
    /// </summary>
    Bf16,
}

/// <summary>Settings of a <see cref="Learner"/>. The defaults are fastai's <c>vision_learner</c> / <c>Learner</c>.</summary>
public sealed record LearnerOptions
{
    /// <summary>Where the model and batches live (default: the CPU). The learner moves the model there.</summary>
    public Device? Device { get; init; }

    /// <summary>
    /// Whether the model's body holds pretrained weights. <see cref="Learner.FineTune"/> freezes the body only for a
    /// pretrained model; a model trained from scratch gets a plain <see cref="Learner.FitOneCycle(int, LearningRates, OneCycleSchedule?)"/>
    /// (freezing a random body teaches nothing).
    /// </summary>
    public bool Pretrained { get; init; }

    /// <summary>Batch augmentation of training batches, on the device, before normalisation (fastai's <c>batch_tfms</c>); none by default (fastai's default without <c>batch_tfms</c>).</summary>
    public BatchAugmentation? Augmentation { get; init; }

    /// <summary>Normalisation applied to every batch after augmentation (fastai adds the weights' statistics when pretrained); none by default.</summary>
    public Normalization? Normalization { get; init; }

    /// <summary>
    /// fastai's <c>GradientAccumulation(n_acc)</c>: the optimizer steps once every <c>n_acc</c> training <em>samples</em>
    /// (not batches), with each batch's loss gradient scaled by <c>batch size / n_acc</c>. Null or 0: a step every batch.
    /// </summary>
    public int? AccumulationSamples { get; init; }

    /// <summary>Optimizer settings (fastai's Adam: decoupled weight decay 0.01, β₂ 0.99, eps 1e-5, none on norms and biases).</summary>
    public AdamWOptions Optimizer { get; init; } = AdamWOptions.Default;

    /// <summary>
    /// Convolution weights and input batches in channels-last (NHWC) memory order. Null (default): on the CPU, when the
    /// catalog says the model trains faster so (<see cref="Models.ModelInfo.ChannelsLastOnCpu"/>: RegNetY, ResNeXt, MobileNetV3); otherwise not.
    /// The same numbers either way, another memory order; <see cref="Learner.ChannelsLast"/> says what a learner uses.
    /// <see cref="Checkpoints.ModelCheckpoint.Save"/> writes either order; TorchSharp's own <c>Module.save</c> needs
    /// contiguous weights.
    /// </summary>
    public bool? ChannelsLast { get; init; }

    /// <summary>Mixed precision where the device supports it (see <see cref="MixedPrecision"/>).</summary>
    public MixedPrecision MixedPrecision { get; init; } = MixedPrecision.Auto;

    /// <summary>
    /// A wall-clock budget for each fit (<see cref="Learner.FitOneCycle(int, LearningRates, OneCycleSchedule?)"/>,
    /// <see cref="Learner.FineTune"/>, <see cref="Learner.Fit"/>): the epochs asked for are the most it runs; after its
    /// first steps the last phase gets the epochs that fit, its one-cycle schedule laid out over them so that it
    /// completes (see <see cref="FitBudget"/>). Null (default): no budget.
    /// </summary>
    public TimeSpan? MaxFitTime { get; init; }

    /// <summary>The clock <see cref="MaxFitTime"/> is measured with (default: the system's).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Seeds TorchSharp's generators (<c>torch.manual_seed</c>: dropout, random init of anything created during the fit)
    /// at the start of every fit. The loaders and the augmentation have seeds of their own. Null: not seeded.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>Where per-epoch metrics and progress go (<see cref="TrialContext.ReportEpoch"/>, <see cref="TrialContext.ReportProgress"/>).</summary>
    public TrialContext? Context { get; init; }

    /// <summary>Hooks into the training loop.</summary>
    public IReadOnlyList<LearnerCallback> Callbacks { get; init; } = [];

    /// <summary>Stops training (with <see cref="OperationCanceledException"/>) between batches; default: the context's token.</summary>
    public CancellationToken? Cancellation { get; init; }

    /// <summary>Stop with <see cref="NonFiniteLossException"/> as soon as a training loss is NaN or infinite (default true).</summary>
    public bool StopOnNonFiniteLoss { get; init; } = true;

    /// <summary>
    /// Measure the peak memory of each fit alone: on Linux the process's peak resident set is reset at the start of a fit
    /// (<c>/proc/self/clear_refs</c>, value 5). False: the peak since the process started. Default true.
    /// </summary>
    public bool ResetPeakMemory { get; init; } = true;

    /// <summary>
    /// Threads of LibTorch's CPU kernels during a fit (CPU only; restored afterwards). Null (default): chosen at the start
    /// of each fit by <see cref="ThreadPolicy"/> — the cores the other processes leave free, sampled for 0.1 s, at most
    /// LibTorch's setting — so that a busy machine does not make the spinning OpenMP threads collapse. A number: exactly
    /// that many. 0: LibTorch's setting as it is. CPU kernels sum in an order that depends on the thread count, so two fits
    /// with the same seeds are identical bit for bit only on the same count: fix it where that matters.
    /// </summary>
    public int? Threads { get; init; }
}
