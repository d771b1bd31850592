using Experiments.Vision.Data;
using Experiments.Vision.Inference;
using Experiments.Vision.Models;
using Experiments.Vision.Training;
using Experiments.Vision.Transforms;

namespace Experiments.Vision.Trials;

/// <summary>
/// What one vision trial trains: the swept values of a declaration plus the fixed choices of the sweep. The defaults
/// are fastai's for fine-tuning an image classifier (<c>fine_tune(epochs, base_lr)</c> with base_lr 2e-3, crop, concat
/// pooling, 5 epochs, no batch augmentation, a validation split with seed 42) and fastai's batch of 64 — except the image size, which defaults to the
/// data set's own (224 px is a GPU setting).
/// </summary>
public sealed record VisionTrialSettings
{
    /// <summary>
    /// A <see cref="VisionDatasets"/> name (<c>fashion-mnist</c>, <c>shapes</c>, <c>shapes-multi</c>), opened with
    /// <see cref="DatasetOptions"/>. With <see cref="Data"/> set, only a label (it goes into the export's properties).
    /// </summary>
    public required string Dataset { get; init; }

    /// <summary>
    /// A <see cref="ModelCatalog"/> name (<c>resnet18</c>, <c>convnext_atto</c>, <c>vit_tiny_patch4_32</c>, …). A name with
    /// weights (<c>resnet20.cntk_in1k</c>) starts from them and runs <c>fine_tune</c>, as <see cref="Pretrained"/> does.
    /// </summary>
    public required string Architecture { get; init; }

    /// <summary><c>base_lr</c> of <c>fine_tune</c> with pretrained weights; <c>lr_max</c> of <c>fit_one_cycle</c> from scratch.</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>How every image is brought to the input size (squish, crop, pad). Crop and pad differ from squish only when the image's aspect ratio differs from the target's.</summary>
    public ResizeMethod Resize { get; init; } = ResizeMethod.Crop;

    /// <summary>What <see cref="ResizeMethod.Pad"/> fills with (zeros, reflection, border).</summary>
    public PadMode PadMode { get; init; } = PadMode.Reflection;

    /// <summary>Pooling of the fastai head (average, or concat = max and average).</summary>
    public Pooling Pooling { get; init; } = Pooling.Concat;

    /// <summary>
    /// Input size in pixels, square. Null: the model's fixed input size (a ViT), else the size of the data set's first
    /// image. <see cref="Height"/> and <see cref="Width"/> override it per axis.
    /// </summary>
    public int? Size { get; init; }

    /// <summary>Input rows, for a rectangular input (h × w); null: <see cref="Size"/>.</summary>
    public int? Height { get; init; }

    /// <summary>Input columns, for a rectangular input (h × w); null: <see cref="Size"/>.</summary>
    public int? Width { get; init; }

    /// <summary>Epochs: the unfrozen epochs of <c>fine_tune</c> with pretrained weights; all epochs of the one-cycle fit from scratch.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Frozen epochs of <c>fine_tune</c> (pretrained weights only; a model trained from scratch is never frozen).</summary>
    public int FreezeEpochs { get; init; } = 1;

    /// <summary>
    /// fastai's <c>lr_mult</c> of <c>fine_tune</c> (pretrained weights only): the unfrozen body learns at
    /// <c>LearningRate / 2 / LrMult</c>, the head at <c>LearningRate / 2</c>. Default 100, fastai's; lower it when the
    /// data is far from the weights' (grey 32 px clothing is far from ImageNet photographs) so the body adapts more.
    /// </summary>
    public double LrMult { get; init; } = 100;

    /// <summary>
    /// Images per optimizer step — the effective batch size, fastai's <c>GradientAccumulation(n_acc)</c> count. The loader's
    /// batch is <c>BatchSize / Accumulation</c>. Default 64, fastai's.
    /// </summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>
    /// Micro-batches per optimizer step, as fastai accumulates gradients (<c>bs = 64 // accum</c> with
    /// <c>GradientAccumulation(64)</c>): the loader gives batches of <c>BatchSize / Accumulation</c> images and the learner
    /// accumulates gradients (each scaled by micro-batch / <see cref="BatchSize"/>) until <see cref="BatchSize"/> images
    /// were seen, then steps once. So changing <c>Accumulation</c> keeps the update that of a batch of <see cref="BatchSize"/>
    /// and only lowers the memory a step needs. Exact for models without BatchNorm; with BatchNorm each micro-batch is
    /// normalised with its own statistics. 1: no accumulation. <see cref="BatchSize"/> must be a multiple of this, with
    /// micro-batches of at least 2 images.
    /// </summary>
    public int Accumulation { get; init; } = 1;

    /// <summary>
    /// Where the validation images come from: a random split of the training part (default) or the data set's own test
    /// part. With <see cref="ValidationSource.TestPart"/>, <see cref="ValidFraction"/> and <see cref="SplitSeed"/> are not
    /// used and <see cref="MaxItems"/> limits the training part only. Needs a named data set (<see cref="Dataset"/>), not
    /// <see cref="Data"/>.
    /// </summary>
    public ValidationSource Validation { get; init; } = ValidationSource.Split;

    /// <summary>Share of the data held out for validation (fastai's <c>valid_pct</c>) when <see cref="Validation"/> is a split.</summary>
    public double ValidFraction { get; init; } = 0.2;

    /// <summary>
    /// Seed of the validation split. Fixed by default (42, fastai's usual <c>RandomSplitter(seed=42)</c>), so every trial of a
    /// sweep — every model, setting and repeat — is measured on the same images. Null: a new split per trial (for ensembles).
    /// The trial's own seed never changes the split.
    /// </summary>
    public int? SplitSeed { get; init; } = 42;

    /// <summary>Use only the first this many items of the data set (before the split; of the training part when validating on the test part); null: all.</summary>
    public int? MaxItems { get; init; }

    /// <summary>Use only the first this many validation images of the test part (<see cref="ValidationSource.TestPart"/>); null: all.</summary>
    public int? MaxValidItems { get; init; }

    /// <summary>
    /// How <see cref="Dataset"/> is opened (Fashion-MNIST folder, procedural image size and count, channels). With
    /// pretrained weights the channels are forced to 3.
    /// </summary>
    public VisionDatasetOptions? DatasetOptions { get; init; }

    /// <summary>Data to train on instead of opening <see cref="Dataset"/> by name (a folder-per-class or labels-CSV data set).</summary>
    public IImageDataset? Data { get; init; }

    /// <summary>
    /// Pretrained weights of the reference model (timm / torchvision names; safetensors, or TorchSharp's format) loaded
    /// into the body: a file, or a folder holding <c>{Architecture}.safetensors</c> (one folder for a sweep over
    /// architectures; it is looked up by the architecture's name, <c>resnet20.safetensors</c> for <c>resnet20.cntk_in1k</c>,
    /// and replaces the weights the name brings). Then the trial runs <c>fine_tune</c> (frozen body first) on 3-channel input normalised with the
    /// weights' statistics. Null: the model is trained from scratch with a plain one-cycle fit (no frozen phase: freezing
    /// a random body teaches nothing), without normalisation, on the data's own channels — and the metrics
    /// (<c>frozen_epochs</c> 0, <c>pretrained</c> 0) say so. Nothing is ever downloaded.
    /// </summary>
    public string? Pretrained { get; init; }

    /// <summary>Training batch augmentation (fastai's <c>aug_transforms</c>, e.g. <see cref="AugmentationOptions.Default"/>); null: none (fastai's default without <c>batch_tfms</c>). TTA uses it too.</summary>
    public AugmentationOptions? Augmentation { get; init; }

    /// <summary>
    /// After training, predict the validation set with test-time augmentation (fastai's <c>tta(n, beta)</c>) and report
    /// <c>tta_error_rate</c>. The augmented passes use the training transforms: random crop or pad positions and
    /// <see cref="Augmentation"/>. Without augmentation a squished image has no random transform, so the TTA error rate
    /// then equals the error rate.
    /// </summary>
    public bool Tta { get; init; }

    /// <summary>Augmented TTA passes (fastai's <c>n</c>, 4).</summary>
    public int TtaPasses { get; init; } = Inference.Tta.DefaultPasses;

    /// <summary>Weight of the plain pass in the TTA combination (fastai's <c>beta</c>, 0.25).</summary>
    public double TtaBeta { get; init; } = Inference.Tta.DefaultBeta;

    /// <summary>
    /// After training (and TTA), export the model (<see cref="ModelExport.Save"/>: safetensors weights + JSON metadata with
    /// the classes, resize, normalisation, final metrics and the trial's settings) as <c>{Architecture}_{description}</c>.
    /// </summary>
    public bool Export { get; init; }

    /// <summary>Folder of the export; null: the trial's <see cref="TrialContext.OutputDirectory"/> (the runner gives each trial its own).</summary>
    public string? ExportDirectory { get; init; }

    /// <summary>
    /// The export's description (the part of the name after the architecture). Null: the trial's id without the
    /// architecture's segment, e.g. <c>shapes/squish#1</c> for trial <c>shapes/resnet18/squish#1</c> (name
    /// <c>resnet18_shapes-squish-1</c>), so exports of one sweep can share a folder.
    /// </summary>
    public string? ExportDescription { get; init; }

    /// <summary>
    /// When an export of that name is already in the folder: add a suffix, fail, or overwrite. Null (default): overwrite
    /// in the trial's own output folder (a rerun of the trial replaces its export, so a folder never holds a stale copy
    /// next to the new one) and add a suffix in a shared <see cref="ExportDirectory"/> (nothing of another trial is lost).
    /// </summary>
    public ExportCollision? ExportCollision { get; init; }

    /// <summary>
    /// The arithmetic of the fit (<see cref="Training.MixedPrecision"/>): Auto (TF32 on CUDA, fp32 on the CPU), Off (fp32),
    /// or Bf16 (mixed bf16: bf16 forward and backward, fp32 master weights, optimizer state, loss and norm layers).
    /// </summary>
    public MixedPrecision MixedPrecision { get; init; } = MixedPrecision.Auto;

    /// <summary>
    /// A wall-clock budget for the fit (<see cref="LearnerOptions.MaxFitTime"/>): <see cref="Epochs"/> is the most it
    /// runs, and after the first steps the epochs that fit are planned and the schedule laid out over them. The trial
    /// reports it as <c>fit_budget</c> (seconds), which the report shows. Null: no budget.
    /// </summary>
    public TimeSpan? MaxFitTime { get; init; }

    /// <summary>
    /// How a trial above the first rung of a successive-halving experiment (<see cref="TrialContext.Rung"/> set) starts:
    /// continue from the model of the same configuration one rung below and train only the added epochs, or restart and
    /// train the rung's whole budget. Default <see cref="RungStart.Auto"/>: continue with pretrained weights, restart from
    /// scratch (see <see cref="RungStart.Auto"/> for the measurement). Continuing needs the budget to be the epochs
    /// (<see cref="Epochs"/> = the rung's budget); otherwise, or without a usable checkpoint, the trial restarts. Grid
    /// trials (no rung) are not affected.
    /// </summary>
    public RungStart RungStart { get; init; } = RungStart.Auto;

    /// <summary>
    /// The top rung's budget (the <see cref="BudgetAttribute.Max"/> of the experiment's budget parameter): a trial at it
    /// writes no continuation checkpoint, since nothing continues from the top rung. Null: the runner's
    /// <see cref="SearchRung.IsTop"/> says which rung is the top (a context built by hand without it: every rung writes
    /// one, the model's weights, a few MB).
    /// </summary>
    public int? TopRungBudget { get; init; }

    /// <summary>Decoding threads of each loader; null: 1 when training on the CPU (the step uses every core), else the processor count.</summary>
    public int? DecodeThreads { get; init; }

    /// <summary>
    /// Threads of LibTorch's CPU kernels during the fit (<see cref="LearnerOptions.Threads"/>); null: chosen at the start
    /// of each fit from the cores the other processes leave free.
    /// </summary>
    public int? Threads { get; init; }
}
