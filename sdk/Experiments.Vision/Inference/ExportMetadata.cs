using Experiments.Vision.Data;
using Experiments.Vision.Transforms;

namespace Experiments.Vision.Inference;

/// <summary>
/// What <see cref="ModelExport.Save"/> needs to know beyond the model itself: the classes, how images were prepared
/// (size, resize method, normalisation) and what training measured. The architecture, input channels, number of
/// classes and head (pooling, hidden width, dropout) are read from the model; the time and versions are added on save.
/// </summary>
public sealed record ExportMetadata
{
    /// <summary>Class names in label order (the model's output order); distinct, as many as the model has outputs.</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>True when the model was trained with binary cross-entropy (sigmoid probabilities, thresholded).</summary>
    public bool MultiLabel { get; init; }

    /// <summary>Rows of the model input.</summary>
    public required int ImageHeight { get; init; }

    /// <summary>Columns of the model input.</summary>
    public required int ImageWidth { get; init; }

    /// <summary>How images were fitted to <see cref="ImageHeight"/> × <see cref="ImageWidth"/> (validation behaviour is used at inference: centre crop / centred pad).</summary>
    public ResizeMethod ResizeMethod { get; init; } = ResizeMethod.Crop;

    /// <summary>Padding of <see cref="ResizeMethod.Pad"/>.</summary>
    public PadMode PadMode { get; init; } = PadMode.Reflection;

    /// <summary>The normalisation applied to batches in training; null when the model saw images in [0, 1].</summary>
    public Normalization? Normalization { get; init; }

    /// <summary>What training measured (e.g. <c>error_rate</c>, <c>valid_loss</c>, <c>train_loss</c>, <c>fit_time</c>, <c>tta_error_rate</c>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Anything else worth keeping with the model (data set, learning rate, seed, trial id).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Metadata for a model trained with <paramref name="loader"/>'s dataset and item transform, which must be a
    /// <see cref="Resize"/> (the one transform an export records), and <paramref name="normalization"/> on batches.
    /// </summary>
    /// <exception cref="ArgumentException">The loader's item transform is not a <see cref="Resize"/>.</exception>
    public static ExportMetadata For(ImageDataLoader loader, Normalization? normalization)
    {
        ArgumentNullException.ThrowIfNull(loader);
        return loader.Options.ItemTransform is Resize resize
            ? For(loader.Dataset, resize, normalization)
            : throw new ArgumentException(
                $"An export records a Resize item transform; this loader's is {loader.Options.ItemTransform?.GetType().Name ?? "none"}. "
                + "Use ExportMetadata.For(dataset, resize, normalization) or set the image size and resize method yourself.", nameof(loader));
    }

    /// <summary>
    /// Metadata for a model trained on <paramref name="dataset"/> (classes, multi-label flag) with <paramref name="resize"/>
    /// as item transform and <paramref name="normalization"/> on batches.
    /// </summary>
    public static ExportMetadata For(IImageDataset dataset, Resize resize, Normalization? normalization) => new()
    {
        Classes = (dataset ?? throw new ArgumentNullException(nameof(dataset))).Classes,
        MultiLabel = dataset.IsMultiLabel,
        ImageHeight = (resize ?? throw new ArgumentNullException(nameof(resize))).Height,
        ImageWidth = resize.Width,
        ResizeMethod = resize.Method,
        PadMode = resize.PadMode,
        Normalization = normalization,
    };
}
