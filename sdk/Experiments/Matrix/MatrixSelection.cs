namespace Experiments;

/// <summary>
/// A sub-matrix: for each parameter, the values it keeps (all of them unless restricted). A filter clause that fixes a
/// parameter (<c>Arch=resnet18</c>, <c>Lr=0.1,0.2</c>, <c>Resize!=pad</c>) restricts that parameter's values, and
/// <see cref="ExperimentDefinition.TrialsIn"/> and <see cref="ExperimentDefinition.CountIn"/> then enumerate and count
/// only what is left, with the trials' indices in the whole matrix. Immutable.
/// </summary>
public sealed class MatrixSelection
{
    // Per parameter: the value indices kept, ascending and distinct; null: every value.
    private readonly int[]?[] _values;

    private MatrixSelection(IReadOnlyList<ParameterDefinition> parameters, int[]?[] values)
    {
        Parameters = parameters;
        _values = values;
    }

    /// <summary>Every trial of a matrix with these parameters.</summary>
    public static MatrixSelection All(IReadOnlyList<ParameterDefinition> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new MatrixSelection(parameters, new int[]?[parameters.Count]);
    }

    public IReadOnlyList<ParameterDefinition> Parameters { get; }

    /// <summary>Whether no parameter is restricted.</summary>
    public bool IsAll => Array.TrueForAll(_values, v => v is null);

    /// <summary>Whether some parameter keeps no value: the selection has no trial.</summary>
    public bool IsEmpty => Array.Exists(_values, v => v is { Length: 0 });

    /// <summary>The value indices of <paramref name="parameter"/> kept, ascending; null when all of them are.</summary>
    public IReadOnlyList<int>? ValuesOf(int parameter) => _values[parameter];

    /// <summary>How many values of <paramref name="parameter"/> are kept.</summary>
    public int CountOf(int parameter) => _values[parameter]?.Length ?? Parameters[parameter].Values.Count;

    /// <summary>Keeps, of <paramref name="parameter"/>, only the values whose display text <paramref name="keep"/> accepts (within what is kept already).</summary>
    public MatrixSelection Where(int parameter, Func<string, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var values = Parameters[parameter].Values;
        return Where(parameter, Enumerable.Range(0, values.Count).Where(i => keep(values[i])));
    }

    /// <summary>Keeps, of <paramref name="parameter"/>, only the values with these indices (within what is kept already).</summary>
    public MatrixSelection Where(int parameter, IEnumerable<int> valueIndices)
    {
        ArgumentNullException.ThrowIfNull(valueIndices);
        var count = Parameters[parameter].Values.Count;
        var kept = new SortedSet<int>(valueIndices.Where(i => i >= 0 && i < count));
        if (_values[parameter] is { } current)
        {
            kept.IntersectWith(current);
        }
        var values = (int[]?[])_values.Clone();
        values[parameter] = kept.Count == count ? null : kept.ToArray();
        return new MatrixSelection(Parameters, values);
    }

    /// <summary>Whether <paramref name="trial"/> (of a matrix with these parameters) is in the selection.</summary>
    public bool Contains(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        for (var p = 0; p < _values.Length; p++)
        {
            if (_values[p] is { } kept && Array.BinarySearch(kept, Parameters[p].Values.IndexOf(trial.Parameters[p].Display)) < 0)
            {
                return false;
            }
        }
        return true;
    }
}
