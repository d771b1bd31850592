using System.Reflection;
using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Transforms;
using Experiments.Vision.Trials;

namespace FineTuneSweep;

/// <summary>
/// The one place both experiments of this project get their trial settings from, so that a configuration of
/// <see cref="FineTuneQuick"/> trains exactly what the same configuration of <see cref="FineTuneSweep"/> trains: the
/// quick profile is a slice of the full study, not a different study, and its trial times predict the full sweep's.
/// </summary>
public static class FineTuneSettings
{
    /// <summary>Images per data set, split 80 / 20 with the fixed seed 42: 400 train, 100 validate (the same for every trial).</summary>
    public const int MaxItems = 500;

    /// <summary>Epochs of the one-cycle fit from scratch (the unfrozen epochs of <c>fine_tune</c> with pretrained weights).</summary>
    public const int Epochs = 3;

    /// <summary>Images per optimizer step: 25 steps per epoch, 75 in all, so that the models trained from scratch learn something.</summary>
    public const int BatchSize = 16;

    /// <summary>Input rows and columns for the models that take any size: a rectangle, so that squish and crop differ.</summary>
    public const int Height = 32, Width = 40;

    /// <summary>Side of the generated <c>shapes-multi</c> images (Fashion-MNIST's are 28 px).</summary>
    public const int ShapesImageSize = 32;

    /// <summary>
    /// The constant of the report's score, error_rate × (fit_time + constant). The transcript's 80 s was of the order of
    /// one GPU fit; here a fit takes seconds, so the constant is scaled down with it.
    /// </summary>
    public const double ScoreConstant = 10;

    /// <summary>Folder of <c>{arch}.safetensors</c> reference weights, next to the project file; nothing is downloaded.</summary>
    public const string WeightsFolder = "weights";

    /// <summary>The settings of one trial.</summary>
    public static VisionTrialSettings For(string dataset, string arch, double learningRate, ResizeMethod resize, Pooling pool)
    {
        // A ViT takes one input size (vit_*_patch4_32: 32 × 32): it gets that square, on which squish and crop of a
        // square image are the same, and its class token needs no pooling — so for a ViT only the learning rate matters.
        var fixedSize = ModelCatalog.Describe(arch).InputSize;
        return new VisionTrialSettings
        {
            Dataset = dataset,
            Architecture = arch,
            LearningRate = learningRate,
            Resize = resize,
            Pooling = pool,
            Height = fixedSize ?? Height,
            Width = fixedSize ?? Width,
            Epochs = Epochs,
            BatchSize = BatchSize,
            MaxItems = MaxItems,
            DatasetOptions = new VisionDatasetOptions { ImageSize = ShapesImageSize, Count = MaxItems },
            Pretrained = PretrainedWeights(arch),
        };
    }

    /// <summary>
    /// <c>weights/</c> when it holds <c>{arch}.safetensors</c> (the trial then runs fastai's <c>fine_tune</c>), else null
    /// (trained from scratch). Decided per model, so a folder with some of the checkpoints fine-tunes those models and
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
