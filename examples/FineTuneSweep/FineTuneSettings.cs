using System.Reflection;
using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Transforms;
using Experiments.Vision.Trials;

namespace FineTuneSweep;

/// <summary>
/// The one place both experiments of this project get their trial settings from, so that a configuration of
/// <see cref="FineTuneQuick"/> trains exactly what the same configuration of <see cref="FineTuneSweep"/> trains, on the
/// sample instead of the full data set: the quick profile predicts the full study's behaviour, not a different study.
/// </summary>
public static class FineTuneSettings
{
    /// <summary>Epochs of the one-cycle fit from scratch (the unfrozen epochs of <c>fine_tune</c> with pretrained weights).</summary>
    public const int Epochs = 3;

    /// <summary>Images per optimizer step: 62 steps per epoch on the sample's 1,000 training images, 125 on 2,000 mosaics.</summary>
    public const int BatchSize = 16;

    /// <summary>Input rows and columns for the models that take any size: a rectangle, so that squish and crop differ.</summary>
    public const int Height = 32, Width = 40;

    /// <summary>
    /// Input side for the mosaics (<see cref="VisionDatasets.FashionMosaicSample"/>, <see cref="VisionDatasets.FashionMosaic"/>):
    /// their own 40 px square canvas, a 2 × 2 grid of 18–20 px garments. Squeezed to 32 × 40 the garments shrink to
    /// 14–16 px rows, which RegNetY does not learn at this budget; on a square, squish and crop give the same pixels.
    /// </summary>
    public const int MosaicSize = 40;

    /// <summary>
    /// The full study's share of the full data sets, so that its 1,008 trials stay a CPU study of about a day on two
    /// cores (the lesson's took 12 hours on three GPUs): the first 2,000 of Fashion-MNIST's 60,000 training images
    /// (twice the sample) validated on the first 1,000 of its 10,000 test images, and as many mosaics. On a GPU, raise
    /// both.
    /// </summary>
    public const int FullTrainImages = 2000, FullValidImages = 1000;

    /// <summary>
    /// The constant of the report's score, error_rate × (fit_time + constant). The fast.ai lesson's 80 s was of the order of
    /// one GPU fit; here a fit takes seconds, so the constant is scaled down with it.
    /// </summary>
    public const double ScoreConstant = 10;

    /// <summary>
    /// fastai's <c>lr_mult</c> for the models that start from pretrained weights: their body learns at a tenth of the head's
    /// rate instead of fastai's hundredth. Measured on the sample at 32 × 40 px, lr 0.01, one run each: lr_mult 100 left
    /// <c>resnet20.cntk_in1k</c> at 0.33 error (the body hardly moves from ImageNet's features, which grey 32 px clothing
    /// does not fit), 10 gave 0.185, 1 gave 0.225 (from scratch: 0.235).
    /// </summary>
    public const double PretrainedLrMult = 10;

    /// <summary>
    /// The full-data profile (<see cref="FineTuneFull"/>): all 60,000 training images validated on the 10,000 official
    /// test images, 3 epochs (pretrained: 1 frozen + 3) in batches of 64 at 32 × 32 px: 6–9 minutes per model on two
    /// cores (measured: 22 minutes for the three, build included).
    /// </summary>
    public const int FullEpochs = 3, FullBatchSize = 64, FullSide = 32;

    /// <summary>Folder of <c>{arch}.safetensors</c> reference weights, next to the project file; nothing is downloaded.</summary>
    public const string WeightsFolder = "weights";

    /// <summary>The settings of one trial.</summary>
    public static VisionTrialSettings For(string dataset, string arch, double learningRate, ResizeMethod resize, Pooling pool)
    {
        // A ViT or a Swin takes one input size (vit_*_patch4_32, swin*_tiny_patch2_window4_32: 32 × 32): it gets that
        // square, on which squish and crop of a square image are the same; a ViT's class token needs no pooling either —
        // so for a ViT only the learning rate matters.
        var fixedSize = ModelCatalog.Describe(arch).InputSize;
        bool sample = dataset.EndsWith("-sample", StringComparison.Ordinal);
        bool mosaic = dataset.StartsWith(VisionDatasets.FashionMosaic, StringComparison.Ordinal);
        return new VisionTrialSettings
        {
            Dataset = dataset,
            Architecture = arch,
            LearningRate = learningRate,
            Resize = resize,
            Pooling = pool,
            Height = fixedSize ?? (mosaic ? MosaicSize : Height),
            Width = fixedSize ?? (mosaic ? MosaicSize : Width),
            Epochs = Epochs,
            BatchSize = BatchSize,
            // Every trial validates on the data set's own test images: the same, independent images for every model.
            Validation = ValidationSource.TestPart,
            // The sample's mosaics are 2,000 training and 500 validation canvases; of the full set, the first 2,000 and 1,000.
            MaxItems = sample ? null : FullTrainImages,
            MaxValidItems = sample ? null : FullValidImages,
            Pretrained = PretrainedWeights(arch),
            LrMult = PretrainedLrMult,
        };
    }

    /// <summary>The settings of one trial of the full-data profile: every training image, the official test set as validation.</summary>
    public static VisionTrialSettings Full(string arch) => For(VisionDatasets.FashionMnist, arch, 1e-2, ResizeMethod.Squish, Pooling.Average) with
    {
        MaxItems = null,
        MaxValidItems = null,
        Height = FullSide,
        Width = FullSide,
        Epochs = FullEpochs,
        BatchSize = FullBatchSize,
    };

    /// <summary>
    /// <c>weights/</c> when it holds <c>{arch}.safetensors</c> (the trial then runs fastai's <c>fine_tune</c>), else null:
    /// trained from scratch, or from the weights the name brings (<c>resnet20.cntk_in1k</c>). Decided per model, so a folder with some of the checkpoints fine-tunes those models and
    /// trains the others from scratch; the report's <em>Weights</em> column says which.
    /// </summary>
    public static string? PretrainedWeights(string arch)
    {
        var folder = Path.Combine(ProjectDirectory, WeightsFolder);
        return File.Exists(Path.Combine(folder, arch + ".safetensors")) ? folder : null;
    }

    /// <summary>The project's folder (the SDK records it in the assembly's metadata), else the current directory.</summary>
    public static string ProjectDirectory { get; } =
        typeof(FineTuneSettings).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .LastOrDefault(a => a.Key == "Experiments.ProjectDirectory" && !string.IsNullOrEmpty(a.Value))?.Value
        ?? Directory.GetCurrentDirectory();
}
