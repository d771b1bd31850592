using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Inference;

/// <summary>
/// What a model predicted for a set of items: one row of class probabilities per item (softmax for single-label data,
/// sigmoid for multi-label data), the targets when the items are labelled, and the dataset index of every row.
/// Rows are in ascending dataset index, whatever order the loader visited the items in.
/// </summary>
/// <remarks>
/// Owns its tensors (on the CPU): <see cref="Dispose"/> frees them. Made inside a <see cref="DisposeScope"/>, they also
/// belong to that scope, as TorchSharp results do.
/// </remarks>
public sealed class Predictions : IDisposable
{
    private readonly int[] _indices;

    /// <param name="probabilities">N × classes, float32, values in [0, 1]; taken over (disposed with this object).</param>
    /// <param name="targets">Null when unknown; else N class indices (int64) for single-label data or N × classes multi-hot (float32) for multi-label data; taken over.</param>
    /// <param name="indices">The dataset index of every row, ascending.</param>
    /// <param name="classes">Class names, one per column.</param>
    /// <param name="isMultiLabel">Whether the probabilities are independent sigmoids (multi-label) or a softmax.</param>
    /// <param name="threshold">Multi-label: a class is predicted when its probability is strictly above this.</param>
    public Predictions(Tensor probabilities, Tensor? targets, IReadOnlyList<int> indices, IReadOnlyList<string> classes, bool isMultiLabel,
        double threshold = ClassificationMetrics.DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(classes);
        if (probabilities.dim() != 2 || probabilities.dtype != ScalarType.Float32)
        {
            throw new ArgumentException($"Expected N × classes float32 probabilities; got {probabilities.dtype} [{string.Join(", ", probabilities.shape)}].", nameof(probabilities));
        }
        long count = probabilities.shape[0];
        if (probabilities.shape[1] != classes.Count)
        {
            throw new ArgumentException($"{probabilities.shape[1]} probability columns for {classes.Count} classes.", nameof(classes));
        }
        if (indices.Count != count)
        {
            throw new ArgumentException($"{indices.Count} indices for {count} rows.", nameof(indices));
        }
        for (int i = 1; i < indices.Count; i++)
        {
            if (indices[i] <= indices[i - 1])
            {
                throw new ArgumentException("Row indices must be strictly ascending.", nameof(indices));
            }
        }
        if (targets is not null)
        {
            bool fits = isMultiLabel
                ? targets.shape.SequenceEqual(probabilities.shape)
                : targets.dim() == 1 && targets.shape[0] == count && targets.dtype == ScalarType.Int64;
            if (!fits)
            {
                throw new ArgumentException(
                    $"Targets {targets.dtype} [{string.Join(", ", targets.shape)}] do not fit {(isMultiLabel ? "multi-hot targets" : "int64 class indices")} for {count} rows.",
                    nameof(targets));
            }
        }
        if (!(threshold >= 0 && threshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold is a probability.");
        }

        Probabilities = probabilities;
        Targets = targets;
        _indices = [.. indices];
        Classes = [.. classes];
        IsMultiLabel = isMultiLabel;
        Threshold = threshold;
    }

    /// <summary>N × classes float32 probabilities on the CPU.</summary>
    public Tensor Probabilities { get; }

    /// <summary>Int64 class indices [N] (single-label) or float32 multi-hot [N, classes] (multi-label); null when the items are unlabelled.</summary>
    public Tensor? Targets { get; }

    /// <summary>The dataset index of every row, ascending.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <summary>Class names, in column order.</summary>
    public IReadOnlyList<string> Classes { get; }

    public bool IsMultiLabel { get; }

    /// <summary>Multi-label: a class is predicted when its probability is strictly above this (0.5, fastai's default).</summary>
    public double Threshold { get; }

    /// <summary>Number of rows (items).</summary>
    public int Count => _indices.Length;

    /// <summary>
    /// The error rate: <c>1 − accuracy</c> of the argmax for single-label data, <c>1 − accuracy_multi</c>
    /// at <see cref="Threshold"/> for multi-label data (see <see cref="ClassificationMetrics"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The items are unlabelled (<see cref="Targets"/> is null).</exception>
    public double ErrorRate()
    {
        var targets = Targets ?? throw new InvalidOperationException("These predictions have no targets: the items were unlabelled.");
        return IsMultiLabel
            ? ClassificationMetrics.MultiLabelErrorRate(Probabilities, targets, Threshold)
            : ClassificationMetrics.ErrorRate(Probabilities, targets);
    }

    /// <summary>
    /// The predicted classes of every row: the argmax (one class) for single-label data, every class above
    /// <see cref="Threshold"/> (possibly none) for multi-label data.
    /// </summary>
    public int[][] PredictedLabels()
    {
        var rows = new int[Count][];
        if (!IsMultiLabel)
        {
            using var scope = NewDisposeScope();
            var best = Count == 0 ? [] : Probabilities.argmax(1).contiguous().data<long>().ToArray();
            for (int n = 0; n < Count; n++)
            {
                rows[n] = [(int)best[n]];
            }
            return rows;
        }
        var values = ToArray();
        int classes = Classes.Count;
        for (int n = 0; n < Count; n++)
        {
            rows[n] = [.. Enumerable.Range(0, classes).Where(c => values[(n * classes) + c] > Threshold)];
        }
        return rows;
    }

    /// <summary>The target classes of every row (one for single-label data, the labelled ones for multi-label data); null when unlabelled.</summary>
    public int[][]? TargetLabels()
    {
        if (Targets is null)
        {
            return null;
        }
        var rows = new int[Count][];
        using var scope = NewDisposeScope();
        if (!IsMultiLabel)
        {
            var classes = Count == 0 ? [] : Targets.contiguous().data<long>().ToArray();
            for (int n = 0; n < Count; n++)
            {
                rows[n] = [(int)classes[n]];
            }
            return rows;
        }
        var hot = Count == 0 ? [] : Targets.ne(0).to_type(ScalarType.Byte).contiguous().data<byte>().ToArray();
        int width = Classes.Count;
        for (int n = 0; n < Count; n++)
        {
            rows[n] = [.. Enumerable.Range(0, width).Where(c => hot[(n * width) + c] != 0)];
        }
        return rows;
    }

    /// <summary>The probabilities of row <paramref name="row"/>, one per class.</summary>
    public float[] GetProbabilities(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Count);
        using var scope = NewDisposeScope();
        return Probabilities[row].contiguous().data<float>().ToArray();
    }

    /// <summary>Every probability, row-major: <c>[row * Classes.Count + class]</c>.</summary>
    public float[] ToArray()
    {
        if (Count == 0)
        {
            return [];
        }
        using var scope = NewDisposeScope();
        return Probabilities.contiguous().data<float>().ToArray();
    }

    public void Dispose()
    {
        Probabilities.Dispose();
        Targets?.Dispose();
    }

    public override string ToString() => $"{Count} predictions over {Classes.Count} classes{(IsMultiLabel ? " (multi-label)" : "")}";
}
