using Experiments.Vision.Models;
using Experiments.Vision.Transforms;

namespace Experiments.Vision.Inference;

/// <summary>
/// The metadata of an export, as written to and read from its JSON file (<c>{name}.json</c>, next to the weights
/// <c>{name}.safetensors</c>): enough to rebuild the model from the catalog and to prepare images as in validation.
/// </summary>
/// <remarks>
/// JSON fields (snake_case): <c>format</c>, <c>format_version</c>, <c>name</c>, <c>architecture</c>, <c>description</c>,
/// <c>weights</c>, <c>weights_sha256</c>, <c>num_classes</c>, <c>classes</c>, <c>multi_label</c>, <c>input_channels</c>,
/// <c>image_size.{height,width}</c>, <c>resize.{method,pad_mode}</c>, <c>normalization.{mean,std}</c> (or null),
/// <c>head.{pooling,hidden_size,dropout}</c>, <c>metrics</c>, <c>properties</c>, <c>created</c>, <c>library_version</c>,
/// <c>torchsharp_version</c>. Enum values are lower-case names (<c>crop</c>, <c>reflection</c>, <c>concat</c>); a
/// non-finite metric is the string <c>NaN</c>, <c>Infinity</c> or <c>-Infinity</c>.
/// </remarks>
public sealed record ExportManifest
{
    /// <summary>The value of the <c>format</c> field.</summary>
    public const string FormatName = "experiments-vision-export";

    /// <summary>The <c>format_version</c> this library writes and the newest it reads.</summary>
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The export's unique name in its folder, <c>{architecture}_{description}</c> sanitised, maybe with a <c>_N</c> suffix.</summary>
    public required string Name { get; init; }

    /// <summary>The <see cref="ModelCatalog"/> name.</summary>
    public required string Architecture { get; init; }

    /// <summary>The description given on save (before sanitising).</summary>
    public string Description { get; init; } = "";

    /// <summary>File name of the weights (safetensors), in the metadata file's folder.</summary>
    public required string WeightsFile { get; init; }

    /// <summary>SHA-256 of the weights file, lower-case hex; checked on load when present.</summary>
    public string? WeightsSha256 { get; init; }

    /// <summary>Class names in output order.</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    public bool MultiLabel { get; init; }

    public required int InputChannels { get; init; }

    public required int ImageHeight { get; init; }

    public required int ImageWidth { get; init; }

    public ResizeMethod ResizeMethod { get; init; } = ResizeMethod.Crop;

    public PadMode PadMode { get; init; } = PadMode.Reflection;

    /// <summary>Applied to batches before the model; null: images in [0, 1].</summary>
    public Normalization? Normalization { get; init; }

    /// <summary>The head's pooling; null when the body's output is already pooled (ViT).</summary>
    public Pooling? Pooling { get; init; }

    /// <summary>Width of the head's hidden layer.</summary>
    public required int HiddenSize { get; init; }

    /// <summary>The head's last dropout (fastai's <c>ps</c>).</summary>
    public required double Dropout { get; init; }

    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>When the export was written (UTC).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>Informational version of Experiments.Vision that wrote the export.</summary>
    public required string LibraryVersion { get; init; }

    /// <summary>TorchSharp's version when the export was written.</summary>
    public string TorchSharpVersion { get; init; } = "";

    /// <summary>Number of classes (outputs of the model).</summary>
    public int NumClasses => Classes.Count;

    /// <summary>The head options that rebuild the model with <see cref="ModelCatalog.Create"/>.</summary>
    public ModelOptions ModelOptions => new()
    {
        Pooling = Pooling ?? Models.Pooling.Concat,
        HiddenSize = HiddenSize,
        Dropout = Dropout,
    };

    /// <summary>The item transform that prepares images as in validation.</summary>
    public Resize CreateResize() => new(ImageHeight, ImageWidth, ResizeMethod, PadMode);
}
