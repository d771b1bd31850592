using Experiments.Vision.Data;
using Experiments.Vision.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Inference;

/// <summary>
/// Runs a model over a loader for predictions, as fastai's <c>get_preds</c>: eval mode, no gradients, one
/// <see cref="DisposeScope"/> per batch, and the loss's activation on the outputs — softmax for single-label data
/// (cross-entropy), sigmoid for multi-label data (binary cross-entropy) — so the results are probabilities.
/// </summary>
public static class Predictor
{
    /// <summary>
    /// Predicts every item of <paramref name="loader"/>. The loader is used as given: a validation loader
    /// (<see cref="DataLoaderOptions.Training"/> false) gives the plain pass — centre crops, every item. The model is
    /// put in eval mode for the run and back in the mode it was in afterwards.
    /// </summary>
    /// <param name="model">Takes N × C × H × W batches and returns N × classes logits (a <see cref="Models.VisionModel"/>).</param>
    /// <param name="loader">The items; the dataset's <see cref="IImageDataset.IsMultiLabel"/> chooses the activation.</param>
    /// <param name="options">Normalisation, device, multi-label threshold.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public static Predictions Predict(nn.Module<Tensor, Tensor> model, ImageDataLoader loader, PredictOptions? options = null, CancellationToken cancellationToken = default)
        => Run(model, loader, epoch: 0, augmentation: null, options ?? PredictOptions.Default, check: null, cancellationToken);

    /// <summary>The loss's activation: sigmoid per class for multi-label data, softmax over classes otherwise; float32.</summary>
    public static Tensor Activate(Tensor logits, bool multiLabel)
    {
        ArgumentNullException.ThrowIfNull(logits);
        using var scope = NewDisposeScope();
        var x = logits.dtype == ScalarType.Float32 ? logits : logits.to_type(ScalarType.Float32);
        var result = multiLabel ? x.sigmoid() : x.softmax(-1);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>One pass over <paramref name="loader"/>'s epoch <paramref name="epoch"/>, with <paramref name="augmentation"/> applied to every batch when given (a TTA pass).</summary>
    internal static Predictions Run(nn.Module<Tensor, Tensor> model, ImageDataLoader loader, int epoch, BatchAugmentation? augmentation,
        PredictOptions options, Action<ImageBatch>? check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(options);
        TorchRuntime.EnsureLoaded();

        var dataset = loader.Dataset;
        bool multiLabel = dataset.IsMultiLabel;
        var device = options.Device ?? DeviceOf(model);
        int? channels = (model as Models.VisionModel)?.Body.InChannels;
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var run = NewDisposeScope();
            var probabilities = new List<Tensor>();
            var targets = new List<Tensor>();
            var indices = new List<int>();
            // Plain images (ExportedModel.Predict(images)) have no labels at all, not "no class present".
            bool labelled = dataset is not ImageListDataset;
            foreach (var batch in loader.Batches(epoch, cancellationToken))
            {
                using var done = batch; // its pixel buffer goes back to the loader
                check?.Invoke(batch);
                using var scope = NewDisposeScope();
                var images = ModelInput.Prepare(batch, device, augmentation, options.Normalization, channels, channelsLast: false);
                probabilities.Add(Activate(model.call(images), multiLabel).cpu().MoveToOuterDisposeScope());
                indices.AddRange(batch.Indices);

                // Unlabelled single-label items (no class) make the whole set unlabelled: no targets, no error rate.
                labelled &= multiLabel || batch.Labels.All(l => l.Length == 1);
                if (labelled)
                {
                    targets.Add(batch.TargetsToTensor().MoveToOuterDisposeScope());
                }
            }

            int classes = dataset.Classes.Count;
            var all = probabilities.Count == 0 ? zeros(0, classes, ScalarType.Float32) : cat(probabilities, 0);
            if (all.shape[1] != classes)
            {
                throw new InvalidOperationException($"The model gives {all.shape[1]} outputs per item but the dataset has {classes} classes.");
            }
            Tensor? allTargets = !labelled ? null
                : targets.Count > 0 ? cat(targets, 0)
                : multiLabel ? zeros(0, classes, ScalarType.Float32) : zeros(0, ScalarType.Int64);

            // Rows in dataset order: a shuffled (training-mode) loader visits the items in another order.
            var order = Enumerable.Range(0, indices.Count).ToArray();
            var sortedIndices = indices.ToArray();
            Array.Sort(sortedIndices, order);
            if (!order.SequenceEqual(Enumerable.Range(0, order.Length)))
            {
                var permutation = tensor(order.Select(i => (long)i).ToArray(), ScalarType.Int64);
                all = all.index_select(0, permutation);
                allTargets = allTargets?.index_select(0, permutation);
            }
            for (int i = 1; i < sortedIndices.Length; i++)
            {
                if (sortedIndices[i] == sortedIndices[i - 1])
                {
                    throw new InvalidOperationException($"The loader gave item {sortedIndices[i]} twice in one epoch.");
                }
            }

            return new Predictions(all.MoveToOuterDisposeScope(), allTargets?.MoveToOuterDisposeScope(), sortedIndices, dataset.Classes, multiLabel, options.Threshold);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>The device of the model's first parameter, or the CPU.</summary>
    internal static Device DeviceOf(nn.Module model)
    {
        foreach (var parameter in model.parameters())
        {
            return parameter.device;
        }
        return CPU;
    }
}
