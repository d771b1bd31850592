using Experiments.Vision.Data;
using Experiments.Vision.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Inference;

/// <summary>
/// Test-time augmentation as fastai's <c>Learner.tta(n=4, beta=0.25)</c>: <c>n</c> passes over the items with the
/// training transforms (random crop position of the item transform, batch augmentation), averaged, and one plain
/// validation pass, combined as <c>lerp(mean(augmented), plain, beta)</c> = 0.75 · mean(augmented) + 0.25 · plain —
/// on probabilities (after the softmax or sigmoid), and not a plain average of the n + 1 passes.
/// </summary>
/// <remarks>
/// The augmented passes read the items through a training-mode copy of the loader (same dataset, seed, batch size and
/// item transform; every item, none dropped), epoch <c>i</c> for pass <c>i</c>, so each pass draws its own crops;
/// rows are put back in dataset order before averaging. The result is reproducible when the loader has a seed and
/// <c>augmentation</c> was made with one.
/// </remarks>
public static class Tta
{
    /// <summary>fastai's default number of augmented passes.</summary>
    public const int DefaultPasses = 4;

    /// <summary>fastai's default weight of the plain pass.</summary>
    public const double DefaultBeta = 0.25;

    /// <summary>Predicts every item of <paramref name="loader"/> with test-time augmentation; <see cref="Predictions.ErrorRate"/> of the result is the TTA error rate.</summary>
    /// <param name="model">Returns N × classes logits (a <see cref="Models.VisionModel"/>).</param>
    /// <param name="loader">The items (usually the validation loader); its dataset chooses softmax or sigmoid.</param>
    /// <param name="augmentation">
    /// The training batch augmentation, applied to every augmented pass (before normalisation). Null when training had
    /// none (the default): the augmented passes then differ from the plain one by their random crops only (and equal
    /// it for squish), as fastai's do without <c>batch_tfms</c>.
    /// </param>
    /// <param name="n">Augmented passes, at least 1.</param>
    /// <param name="beta">Weight of the plain pass, in [0, 1].</param>
    /// <param name="options">Normalisation, device, multi-label threshold.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public static Predictions Predict(nn.Module<Tensor, Tensor> model, ImageDataLoader loader, BatchAugmentation? augmentation,
        int n = DefaultPasses, double beta = DefaultBeta, PredictOptions? options = null, CancellationToken cancellationToken = default)
        => Run(model, loader, augmentation, n, beta, options ?? PredictOptions.Default, check: null, cancellationToken);

    /// <summary>
    /// fastai's combination of the passes: <c>torch.lerp(mean(augmented), plain, beta)</c>, i.e.
    /// <c>(1 − beta) · mean(augmented) + beta · plain</c>, element-wise.
    /// </summary>
    /// <param name="augmented">The probabilities of each augmented pass, all of <paramref name="plain"/>'s shape.</param>
    /// <param name="plain">The probabilities of the plain pass.</param>
    /// <param name="beta">Weight of the plain pass, in [0, 1].</param>
    public static Tensor Combine(IReadOnlyList<Tensor> augmented, Tensor plain, double beta = DefaultBeta)
    {
        ArgumentNullException.ThrowIfNull(augmented);
        ArgumentNullException.ThrowIfNull(plain);
        CheckBeta(beta);
        if (augmented.Count == 0)
        {
            throw new ArgumentException("At least one augmented pass is needed.", nameof(augmented));
        }
        foreach (var pass in augmented)
        {
            ArgumentNullException.ThrowIfNull(pass, nameof(augmented));
            if (!pass.shape.SequenceEqual(plain.shape))
            {
                throw new ArgumentException(
                    $"An augmented pass has shape [{string.Join(", ", pass.shape)}], the plain pass [{string.Join(", ", plain.shape)}].", nameof(augmented));
            }
        }

        using var scope = NewDisposeScope();
        var mean = stack(augmented, 0).mean([0L]);
        var weight = full_like(mean, beta);
        return mean.lerp(plain.to_type(mean.dtype), weight).MoveToOuterDisposeScope();
    }

    internal static Predictions Run(nn.Module<Tensor, Tensor> model, ImageDataLoader loader, BatchAugmentation? augmentation, int n, double beta,
        PredictOptions options, Action<ImageBatch>? check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        CheckBeta(beta);

        // Every item in both modes: a training loader drops its last batch and a dropped shuffled batch differs per pass.
        var plainLoader = Derive(loader, training: false);
        var augmentedLoader = Derive(loader, training: true);

        using var scope = NewDisposeScope();
        var passes = new List<Predictions>(n);
        try
        {
            for (int pass = 0; pass < n; pass++)
            {
                passes.Add(Predictor.Run(model, augmentedLoader, epoch: pass, augmentation, options, check, cancellationToken));
            }
            using var plain = Predictor.Run(model, plainLoader, epoch: 0, augmentation: null, options, check, cancellationToken);
            foreach (var pass in passes)
            {
                if (!pass.Indices.SequenceEqual(plain.Indices))
                {
                    // Only possible with SkipUnreadable and a file that became unreadable between passes.
                    throw new InvalidOperationException("The augmented and plain passes saw different items (a file became unreadable during TTA).");
                }
            }

            var combined = Combine([.. passes.Select(p => p.Probabilities)], plain.Probabilities, beta);
            var targets = plain.Targets?.clone();
            return new Predictions(combined.MoveToOuterDisposeScope(), targets?.MoveToOuterDisposeScope(), plain.Indices, plain.Classes, plain.IsMultiLabel, plain.Threshold);
        }
        finally
        {
            foreach (var pass in passes)
            {
                pass.Dispose();
            }
        }
    }

    private static ImageDataLoader Derive(ImageDataLoader loader, bool training)
    {
        var options = loader.Options;
        if (options.Training == training && (options.DropLast ?? options.Training) == false)
        {
            return loader;
        }
        return new ImageDataLoader(loader.Dataset, options with { Training = training, DropLast = false, Seed = loader.Seed });
    }

    private static void CheckBeta(double beta)
    {
        if (!(beta >= 0 && beta <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta weighs the plain pass: from 0 to 1.");
        }
    }
}
