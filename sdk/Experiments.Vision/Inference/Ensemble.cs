using Experiments.Vision.Data;
using Experiments.Vision.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Inference;

/// <summary>
/// Several exported models predicting together: each prepares the items as it was exported (its own size, resize
/// and normalisation) and the ensemble's probabilities are the mean of theirs — plain or with test-time augmentation
/// per model. The models must share their classes (same names, same order) and their multi-label flag.
/// </summary>
public sealed class Ensemble : IDisposable
{
    private readonly ExportedModel[] _models;
    private readonly bool _ownsModels;

    /// <param name="models">At least one; the ensemble does not dispose them.</param>
    public Ensemble(IEnumerable<ExportedModel> models) : this([.. models ?? throw new ArgumentNullException(nameof(models))], ownsModels: false)
    {
    }

    private Ensemble(ExportedModel[] models, bool ownsModels)
    {
        if (models.Length == 0)
        {
            throw new ArgumentException("An ensemble needs at least one model.", nameof(models));
        }
        var first = models[0];
        foreach (var model in models)
        {
            ArgumentNullException.ThrowIfNull(model, nameof(models));
            if (model.IsMultiLabel != first.IsMultiLabel || !model.Classes.SequenceEqual(first.Classes, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"{model.Name} predicts {(model.IsMultiLabel ? "multi-label" : "single-label")} [{string.Join(", ", model.Classes)}] but {first.Name} "
                    + $"{(first.IsMultiLabel ? "multi-label" : "single-label")} [{string.Join(", ", first.Classes)}]: an ensemble averages the same classes in the same order.",
                    nameof(models));
            }
        }
        _models = models;
        _ownsModels = ownsModels;
    }

    /// <summary>Loads every export in <paramref name="paths"/> (see <see cref="ModelExport.Load"/>); the ensemble owns and disposes them.</summary>
    public static Ensemble Load(IEnumerable<string> paths, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var loaded = new List<ExportedModel>();
        try
        {
            foreach (var path in paths)
            {
                loaded.Add(ModelExport.Load(path, device));
            }
            return new Ensemble([.. loaded], ownsModels: true);
        }
        catch
        {
            foreach (var model in loaded)
            {
                model.Dispose();
            }
            throw;
        }
    }

    public IReadOnlyList<ExportedModel> Models => _models;

    public IReadOnlyList<string> Classes => _models[0].Classes;

    public bool IsMultiLabel => _models[0].IsMultiLabel;

    /// <summary>The mean of every model's plain predictions of <paramref name="dataset"/>.</summary>
    public Predictions Predict(IImageDataset dataset, int batchSize = 64, CancellationToken cancellationToken = default)
        => Combine(model => model.Predict(dataset, batchSize, cancellationToken));

    /// <summary>The mean of every model's predictions of <paramref name="images"/> (no targets).</summary>
    public Predictions Predict(IReadOnlyList<ImageData> images, int batchSize = 64, CancellationToken cancellationToken = default)
        => Combine(model => model.Predict(images, batchSize, cancellationToken));

    /// <summary>
    /// The mean of every model's TTA predictions of <paramref name="dataset"/>. Each model gets its own
    /// <see cref="BatchAugmentation"/> from <paramref name="augmentation"/> and <paramref name="seed"/>, so every model sees the same draws.
    /// </summary>
    /// <param name="dataset">The items.</param>
    /// <param name="augmentation">Batch augmentation of the augmented passes; fastai's defaults when null.</param>
    /// <param name="n">Augmented passes per model.</param>
    /// <param name="beta">Weight of each model's plain pass.</param>
    /// <param name="seed">Seed of the augmentation draws; null for random ones.</param>
    /// <param name="batchSize">Items per batch.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public Predictions PredictTta(IImageDataset dataset, AugmentationOptions? augmentation = null, int n = Tta.DefaultPasses, double beta = Tta.DefaultBeta,
        int? seed = null, int batchSize = 64, CancellationToken cancellationToken = default)
    {
        int drawSeed = seed ?? Random.Shared.Next();
        return Combine(model => model.PredictTta(dataset, new BatchAugmentation(augmentation, drawSeed), n, beta, batchSize, cancellationToken));
    }

    /// <summary>
    /// The element-wise mean of the probabilities of <paramref name="predictions"/>, which must cover the same items
    /// (same indices) and classes; the targets are the first one's.
    /// </summary>
    public static Predictions Average(IReadOnlyList<Predictions> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        if (predictions.Count == 0)
        {
            throw new ArgumentException("Nothing to average.", nameof(predictions));
        }
        var first = predictions[0];
        foreach (var other in predictions)
        {
            ArgumentNullException.ThrowIfNull(other, nameof(predictions));
            if (!other.Indices.SequenceEqual(first.Indices) || !other.Classes.SequenceEqual(first.Classes, StringComparer.Ordinal) || other.IsMultiLabel != first.IsMultiLabel)
            {
                throw new ArgumentException("The predictions to average must cover the same items and the same classes.", nameof(predictions));
            }
        }
        using var scope = NewDisposeScope();
        var mean = stack(predictions.Select(p => p.Probabilities).ToArray(), 0).mean([0L]);
        var targets = first.Targets?.clone();
        return new Predictions(mean.MoveToOuterDisposeScope(), targets?.MoveToOuterDisposeScope(), first.Indices, first.Classes, first.IsMultiLabel, first.Threshold);
    }

    public void Dispose()
    {
        if (_ownsModels)
        {
            foreach (var model in _models)
            {
                model.Dispose();
            }
        }
    }

    private Predictions Combine(Func<ExportedModel, Predictions> predict)
    {
        var each = new List<Predictions>(_models.Length);
        try
        {
            foreach (var model in _models)
            {
                each.Add(predict(model));
            }
            return Average(each);
        }
        finally
        {
            foreach (var predictions in each)
            {
                predictions.Dispose();
            }
        }
    }
}
