using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Inference;

/// <summary>
/// An export loaded for inference (<see cref="ModelExport.Load"/>): the rebuilt model in eval mode, and the image
/// preparation of validation from its metadata — channels converted to the model's, resize (centre crop, centred pad
/// or squish) to the exported size, and the exported normalisation on batches.
/// </summary>
public sealed class ExportedModel : IDisposable
{
    internal ExportedModel(ExportManifest manifest, string metadataPath, string weightsPath, VisionModel model)
    {
        Manifest = manifest;
        MetadataPath = metadataPath;
        WeightsPath = weightsPath;
        Model = model;
        Resize = manifest.CreateResize();
        int channels = manifest.InputChannels;
        var toChannels = Data.ItemTransform.From((image, _, _) => image.ToChannels(channels));
        ItemTransform = Data.ItemTransform.Compose(toChannels, Resize);
    }

    /// <summary>The metadata.</summary>
    public ExportManifest Manifest { get; }

    public string MetadataPath { get; }

    public string WeightsPath { get; }

    /// <summary>The export's name.</summary>
    public string Name => Manifest.Name;

    /// <summary>The model, in eval mode.</summary>
    public VisionModel Model { get; }

    public IReadOnlyList<string> Classes => Manifest.Classes;

    public bool IsMultiLabel => Manifest.MultiLabel;

    /// <summary>The exported resize (applied in validation mode).</summary>
    public Resize Resize { get; }

    /// <summary>Converts an image to the model's channels, then <see cref="Resize"/>s it.</summary>
    public IItemTransform ItemTransform { get; }

    /// <summary>The exported normalisation, or null.</summary>
    public Normalization? Normalization => Manifest.Normalization;

    /// <summary>The options <see cref="Predictor"/> needs for this model.</summary>
    public PredictOptions PredictOptions => new() { Normalization = Normalization, Device = Predictor.DeviceOf(Model) };

    /// <summary>A validation loader over <paramref name="dataset"/> that prepares images as this model expects.</summary>
    public ImageDataLoader CreateLoader(IImageDataset dataset, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        CheckClasses(dataset);
        return new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = batchSize, ItemTransform = ItemTransform, Seed = 0 });
    }

    /// <summary>Predicts every item of <paramref name="dataset"/> (plain pass); with labels, <see cref="Predictions.ErrorRate"/> applies.</summary>
    public Predictions Predict(IImageDataset dataset, int batchSize = 64, CancellationToken cancellationToken = default)
        => Predict(CreateLoader(dataset, batchSize), cancellationToken);

    /// <summary>Predicts the items of <paramref name="loader"/>, whose batches must already have this model's size and channels (see <see cref="CreateLoader"/>).</summary>
    public Predictions Predict(ImageDataLoader loader, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loader);
        CheckClasses(loader.Dataset);
        return Predictor.Run(Model, loader, epoch: 0, augmentation: null, PredictOptions, CheckBatch, cancellationToken);
    }

    /// <summary>Predicts images (any size; converted and resized as in validation). The result has no targets; its rows follow the list.</summary>
    public Predictions Predict(IReadOnlyList<ImageData> images, int batchSize = 64, CancellationToken cancellationToken = default)
        => Predict(new ImageListDataset(images, Classes, IsMultiLabel), batchSize, cancellationToken);

    /// <summary>Predicts every item of <paramref name="dataset"/> with test-time augmentation (<see cref="Tta"/>).</summary>
    /// <param name="dataset">The items.</param>
    /// <param name="augmentation">The batch augmentation for the augmented passes (the one used in training; null for none, see <see cref="Tta.Predict"/>).</param>
    /// <param name="n">Augmented passes.</param>
    /// <param name="beta">Weight of the plain pass.</param>
    /// <param name="batchSize">Items per batch.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public Predictions PredictTta(IImageDataset dataset, BatchAugmentation? augmentation, int n = Tta.DefaultPasses, double beta = Tta.DefaultBeta,
        int batchSize = 64, CancellationToken cancellationToken = default)
        => PredictTta(CreateLoader(dataset, batchSize), augmentation, n, beta, cancellationToken);

    /// <summary>Test-time augmentation over <paramref name="loader"/> (batches of this model's size and channels).</summary>
    public Predictions PredictTta(ImageDataLoader loader, BatchAugmentation? augmentation, int n = Tta.DefaultPasses, double beta = Tta.DefaultBeta,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loader);
        CheckClasses(loader.Dataset);
        return Tta.Run(Model, loader, augmentation, n, beta, PredictOptions, CheckBatch, cancellationToken);
    }

    public void Dispose() => Model.Dispose();

    public override string ToString() => $"{Name} ({Manifest.Architecture}, {Classes.Count} classes, {Manifest.ImageHeight}×{Manifest.ImageWidth})";

    private void CheckClasses(IImageDataset dataset)
    {
        if (dataset is ImageListDataset)
        {
            return;
        }
        if (dataset.IsMultiLabel != IsMultiLabel || !dataset.Classes.SequenceEqual(Classes, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"The data set has {(dataset.IsMultiLabel ? "multi-label" : "single-label")} classes [{string.Join(", ", dataset.Classes)}]; "
                + $"{Name} was trained on {(IsMultiLabel ? "multi-label" : "single-label")} classes [{string.Join(", ", Classes)}].", nameof(dataset));
        }
    }

    private void CheckBatch(ImageBatch batch)
    {
        if (batch.Channels != Manifest.InputChannels || batch.Height != Manifest.ImageHeight || batch.Width != Manifest.ImageWidth)
        {
            throw new InvalidOperationException(
                $"The loader gives {batch.Height}×{batch.Width} images with {batch.Channels} channel(s); {Name} was exported for "
                + $"{Manifest.ImageHeight}×{Manifest.ImageWidth} with {Manifest.InputChannels} (use CreateLoader, or its ItemTransform).");
        }
    }
}
