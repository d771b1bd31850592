namespace Experiments;

/// <summary>
/// The base of generated definitions: the matrix as index arithmetic over the parameters' values and the
/// <see cref="Exclusions"/>, so a selection (a filter that fixes parameters) is enumerated and counted without visiting
/// the trials it rules out, and a trial is found from its id without enumerating the matrix. The order and the indices
/// are those of the full enumeration: repeat-major, then the parameters in declaration order, the last one fastest,
/// numbering only the combinations the rules keep.
/// </summary>
public abstract class IndexedExperimentDefinition : ExperimentDefinition
{
    private readonly MatrixArithmetic _matrix;
    private readonly Func<int, int, object> _value;
    private Dictionary<string, int>[]? _valueByIdText;

    protected IndexedExperimentDefinition(
        string name,
        int repeats,
        string objective,
        Goal goal,
        double scoreConstant,
        int seed,
        int matrixSize,
        int removedByRules,
        IReadOnlyList<ParameterDefinition> parameters,
        IReadOnlyList<string> rules,
        IReadOnlyList<ExclusionRule> exclusions)
        : base(name, repeats, objective, goal, scoreConstant, seed, matrixSize, removedByRules, parameters, rules)
    {
        ArgumentNullException.ThrowIfNull(exclusions);
        Exclusions = exclusions;
        _matrix = new MatrixArithmetic(parameters.Select(p => p.Values.Count).ToArray(), exclusions);
        _value = ValueAt;
    }

    /// <summary>The rules as value indices: a combination is out of the matrix when any of them matches it.</summary>
    public IReadOnlyList<ExclusionRule> Exclusions { get; }

    /// <summary>The typed value number <paramref name="valueIndex"/> of parameter <paramref name="parameter"/> (the value whose display text is <c>Parameters[parameter].Values[valueIndex]</c>).</summary>
    protected abstract object ValueAt(int parameter, int valueIndex);

    protected sealed override IEnumerable<Trial> EnumerateTrials() => Enumerate(new int[]?[Parameters.Count]);

    public override IEnumerable<Trial> TrialsIn(MatrixSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return Enumerate(SetsOf(selection));
    }

    public override long CountIn(MatrixSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return _matrix.Count(SetsOf(selection)) * Repeats;
    }

    public override Trial? FindTrial(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!TrialId.TryParse(id, out var trialId) || trialId.Repeat > Repeats)
        {
            return null;
        }
        var parts = Parameters.Count == 0 ? [] : trialId.ConfigurationId.Split(TrialId.ParameterSeparator);
        if (parts.Length != Parameters.Count)
        {
            return null;
        }
        var lookup = _valueByIdText ??= IdTextLookup();
        var values = new int[parts.Length];
        for (var p = 0; p < parts.Length; p++)
        {
            if (!lookup[p].TryGetValue(parts[p], out values[p]))
            {
                return null;
            }
        }
        if (_matrix.IsExcluded(values))
        {
            return null;
        }
        var trial = CreateTrial(Index(trialId.Repeat, _matrix.IndexOf(values)), trialId.Repeat, values, _value);
        return string.Equals(trial.Id, id, StringComparison.Ordinal) ? trial : null;
    }

    private IEnumerable<Trial> Enumerate(int[]?[] sets)
    {
        var values = new int[Parameters.Count];
        for (var repeat = 1; repeat <= Repeats; repeat++)
        {
            foreach (var index in _matrix.Enumerate(sets, values))
            {
                yield return CreateTrial(Index(repeat, index), repeat, values, _value);
            }
        }
    }

    private int Index(int repeat, long indexInRepeat) => checked((int)((repeat - 1) * _matrix.Combinations + indexInRepeat));

    private int[]?[] SetsOf(MatrixSelection selection)
    {
        if (selection.Parameters.Count != Parameters.Count)
        {
            throw new ArgumentException($"The selection is over {selection.Parameters.Count} parameters; {Name} has {Parameters.Count}.", nameof(selection));
        }
        return Enumerable.Range(0, Parameters.Count).Select(p => selection.ValuesOf(p)?.ToArray()).ToArray();
    }

    /// <summary>Per parameter, its values' text in ids (<c>key=value</c>, or the value alone) to their indices.</summary>
    private Dictionary<string, int>[] IdTextLookup()
        => Parameters.Select(parameter =>
        {
            var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < parameter.Values.Count; i++)
            {
                lookup.TryAdd(TrialId.Label([(parameter.Key, parameter.Values[i], parameter.BareInId)]), i);
            }
            return lookup;
        }).ToArray();
}
