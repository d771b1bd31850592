namespace Experiments.Vision.Data;

/// <summary>
/// The error of the best prediction that ignores the image, learnt from the training labels alone: what a model must beat
/// to have learnt anything. Computed from <see cref="IImageDataset.GetLabels"/>, so no image is decoded.
/// </summary>
public static class Baselines
{
    /// <summary>
    /// Single-label: the error rate on <paramref name="valid"/> of predicting, for every item, the most frequent class of
    /// <paramref name="train"/> (the lowest index among equally frequent ones). NaN when <paramref name="valid"/> is empty.
    /// </summary>
    /// <exception cref="ArgumentException">Either set is multi-label, the class counts differ, or <paramref name="train"/> is empty.</exception>
    public static double MajorityClassError(IImageDataset train, IImageDataset valid)
    {
        Check(train, valid, multiLabel: false);
        var counts = LabelCounts(train);
        int majority = Array.IndexOf(counts, counts.Max());
        if (valid.Count == 0)
        {
            return double.NaN;
        }
        int correct = Enumerable.Range(0, valid.Count).Count(i => valid.GetLabels(i)[0] == majority);
        return 1.0 - ((double)correct / valid.Count);
    }

    /// <summary>
    /// Multi-label: the per-label error (1 − <c>accuracy_multi</c>, over every item × class) on <paramref name="valid"/> of
    /// the best constant predictor of <paramref name="train"/>, which predicts a class present on every item exactly when
    /// more than half of the training items have it (<see cref="ConstantPrediction"/>). NaN when <paramref name="valid"/>
    /// is empty or has no classes.
    /// </summary>
    /// <exception cref="ArgumentException">Either set is single-label, the class counts differ, or <paramref name="train"/> is empty.</exception>
    public static double MultiLabelConstantError(IImageDataset train, IImageDataset valid)
    {
        Check(train, valid, multiLabel: true);
        var predicted = ConstantPrediction(train);
        long elements = (long)valid.Count * predicted.Length;
        if (elements == 0)
        {
            return double.NaN;
        }
        long wrong = 0;
        for (int i = 0; i < valid.Count; i++)
        {
            var present = new bool[predicted.Length];
            foreach (int label in valid.GetLabels(i))
            {
                present[label] = true;
            }
            wrong += Enumerable.Range(0, predicted.Length).Count(k => present[k] != predicted[k]);
        }
        return (double)wrong / elements;
    }

    /// <summary>
    /// The best constant multi-label prediction for <paramref name="train"/>: class k is predicted present exactly when its
    /// training frequency is above ½ (which minimises the expected per-label error on data of the same frequencies).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="train"/> is empty.</exception>
    public static bool[] ConstantPrediction(IImageDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var counts = LabelCounts(train);
        return [.. counts.Select(c => 2L * c > train.Count)];
    }

    /// <summary>How many items of <paramref name="dataset"/> have each class (its label frequencies × count).</summary>
    /// <exception cref="ArgumentException">The data set is empty (it has no frequencies).</exception>
    public static int[] LabelCounts(IImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0)
        {
            throw new ArgumentException("An empty data set has no label frequencies.", nameof(dataset));
        }
        var counts = new int[dataset.Classes.Count];
        for (int i = 0; i < dataset.Count; i++)
        {
            // Distinct: a multi-label item counts once per class even if a source listed it twice.
            foreach (int label in dataset.GetLabels(i).Distinct())
            {
                counts[label]++;
            }
        }
        return counts;
    }

    private static void Check(IImageDataset train, IImageDataset valid, bool multiLabel)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(valid);
        string kind = multiLabel ? "multi-label" : "single-label";
        if (train.IsMultiLabel != multiLabel || valid.IsMultiLabel != multiLabel)
        {
            throw new ArgumentException(
                $"This baseline is for {kind} data; the training set is {(train.IsMultiLabel ? "multi" : "single")}-label and the validation set "
                + $"{(valid.IsMultiLabel ? "multi" : "single")}-label.", nameof(valid));
        }
        if (train.Classes.Count != valid.Classes.Count)
        {
            throw new ArgumentException(
                $"The training set has {train.Classes.Count} classes and the validation set {valid.Classes.Count}.", nameof(valid));
        }
    }
}
