using static TorchSharp.torch;

namespace Experiments.Vision.Inference;

/// <summary>
/// fastai's classification metrics on whole prediction sets: <c>error_rate</c> for single-label data and
/// <c>accuracy_multi</c> (thresholded, over every item × class element) for multi-label data. fastai averages them
/// over batches weighted by batch size, which is the same as computing them over all items at once, as here.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>fastai's <c>accuracy_multi</c> threshold.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>
    /// <c>1 − mean(argmax(scores) == targets)</c>. The scores may be probabilities or logits (the argmax is the same).
    /// NaN when there are no items.
    /// </summary>
    /// <param name="scores">N × classes.</param>
    /// <param name="targets">N class indices (int64).</param>
    public static double ErrorRate(Tensor scores, Tensor targets)
    {
        CheckScores(scores);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.dim() != 1 || targets.shape[0] != scores.shape[0])
        {
            throw new ArgumentException($"Expected {scores.shape[0]} class indices; got shape [{string.Join(", ", targets.shape)}].", nameof(targets));
        }
        if (scores.shape[0] == 0)
        {
            return double.NaN;
        }
        using var scope = NewDisposeScope();
        long correct = scores.argmax(1).eq(targets.to(scores.device).to_type(ScalarType.Int64)).sum().item<long>();
        return 1.0 - ((double)correct / scores.shape[0]);
    }

    /// <summary>
    /// fastai's <c>accuracy_multi(thresh, sigmoid=False)</c> on probabilities: the share of item × class elements where
    /// <c>probability &gt; threshold</c> agrees with the multi-hot target. NaN when there are no elements.
    /// </summary>
    /// <param name="probabilities">N × classes, after the sigmoid.</param>
    /// <param name="targets">N × classes multi-hot (any numeric type; non-zero is a label).</param>
    /// <param name="threshold">A class is predicted when its probability is strictly above this.</param>
    public static double AccuracyMulti(Tensor probabilities, Tensor targets, double threshold = DefaultThreshold)
    {
        CheckScores(probabilities);
        ArgumentNullException.ThrowIfNull(targets);
        if (!targets.shape.SequenceEqual(probabilities.shape))
        {
            throw new ArgumentException(
                $"Expected multi-hot targets of shape [{string.Join(", ", probabilities.shape)}]; got [{string.Join(", ", targets.shape)}].", nameof(targets));
        }
        if (probabilities.numel() == 0)
        {
            return double.NaN;
        }
        using var scope = NewDisposeScope();
        long agree = probabilities.gt(threshold).eq(targets.to(probabilities.device).ne(0)).sum().item<long>();
        return (double)agree / probabilities.numel();
    }

    /// <summary>The multi-label error rate: <c>1 − accuracy_multi</c> (fastai's <c>accuracy_multi</c>).</summary>
    public static double MultiLabelErrorRate(Tensor probabilities, Tensor targets, double threshold = DefaultThreshold)
        => 1.0 - AccuracyMulti(probabilities, targets, threshold);

    private static void CheckScores(Tensor scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.dim() != 2)
        {
            throw new ArgumentException($"Expected N × classes scores; got shape [{string.Join(", ", scores.shape)}].", nameof(scores));
        }
    }
}
