namespace Experiments;

/// <summary>
/// An experiment as the source generator emitted it: its settings, its parameters, the matrix (enumerated lazily
/// in a deterministic order, rules already applied) and the way to run one trial. One subclass per declaration;
/// generated code derives from <see cref="IndexedExperimentDefinition"/>, which selects, counts and finds trials by
/// index arithmetic instead of enumerating the matrix.
/// </summary>
public abstract class ExperimentDefinition
{
    private Dictionary<string, Trial>? _trialsById;

    protected ExperimentDefinition(
        string name,
        int repeats,
        string objective,
        Goal goal,
        double scoreConstant,
        int seed,
        int matrixSize,
        int removedByRules,
        IReadOnlyList<ParameterDefinition> parameters,
        IReadOnlyList<string> rules)
    {
        Name = name;
        Repeats = repeats;
        Objective = objective;
        Goal = goal;
        ScoreConstant = scoreConstant;
        Seed = seed;
        MatrixSize = matrixSize;
        RemovedByRules = removedByRules;
        Parameters = parameters;
        Rules = rules;
    }

    public string Name { get; }
    public int Repeats { get; }
    public string Objective { get; }
    public Goal Goal { get; }
    public double ScoreConstant { get; }
    public int Seed { get; }

    /// <summary>Trials in the matrix: combinations left after the rules × repeats.</summary>
    public int MatrixSize { get; }

    /// <summary>Combinations (not trials) that exclusion rules and constraints removed.</summary>
    public int RemovedByRules { get; }

    public IReadOnlyList<ParameterDefinition> Parameters { get; }

    /// <summary>Human-readable rules, for reports.</summary>
    public IReadOnlyList<string> Rules { get; }

    /// <summary>How the runner searches the matrix; generated code sets it for a <see cref="Experiments.Search.SuccessiveHalving"/> declaration.</summary>
    public SearchSettings Search { get; protected init; } = SearchSettings.Grid;

    /// <summary>
    /// The same configuration and repeat as <paramref name="trial"/> with the budget parameter at rung
    /// <paramref name="rung"/>, or null when the experiment is a grid or the matrix has no such trial.
    /// </summary>
    public Trial? AtRung(Trial trial, int rung)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (!Search.IsAdaptive || rung < 0 || rung >= Search.Rungs.Count)
        {
            return null;
        }
        var parts = new List<(string Key, string Display, bool Bare)>(Parameters.Count);
        for (var p = 0; p < Parameters.Count; p++)
        {
            var definition = Parameters[p];
            var display = string.Equals(definition.Name, Search.BudgetParameter, StringComparison.Ordinal)
                ? Search.Rungs[rung].ToString(System.Globalization.CultureInfo.InvariantCulture)
                : trial.Parameters[p].Display;
            parts.Add((definition.Key, display, definition.BareInId));
        }
        return FindTrial(TrialId.Format(parts, trial.Repeat));
    }

    /// <summary>The rung of <paramref name="trial"/> (from 0), or -1 in a grid.</summary>
    public int RungOf(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return Search.BudgetParameter is { } budget
            ? SuccessiveHalving.RungOf(Search, trial.Parameters.FirstOrDefault(p => p.Name == budget)?.Display)
            : -1;
    }

    /// <summary>Every trial, repeat-major, in the same order on every build.</summary>
    public IEnumerable<Trial> Trials => EnumerateTrials();

    /// <summary>
    /// The trials of <paramref name="selection"/> (a selection over <see cref="Parameters"/>), in matrix order, with their
    /// indices in the whole matrix. This default walks <see cref="Trials"/> and skips the others;
    /// <see cref="IndexedExperimentDefinition"/> visits only the selected sub-matrix.
    /// </summary>
    public virtual IEnumerable<Trial> TrialsIn(MatrixSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return selection.IsAll ? Trials : Trials.Where(selection.Contains);
    }

    /// <summary>How many trials <see cref="TrialsIn"/> yields; <see cref="IndexedExperimentDefinition"/> computes it without enumerating.</summary>
    public virtual long CountIn(MatrixSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return selection.IsAll ? MatrixSize : TrialsIn(selection).LongCount();
    }

    /// <summary>
    /// The trial with this id, or null when the matrix has none. This default enumerates the matrix once and keeps it;
    /// <see cref="IndexedExperimentDefinition"/> reads the values from the id and computes the index.
    /// </summary>
    public virtual Trial? FindTrial(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var trials = _trialsById;
        if (trials is null)
        {
            trials = new Dictionary<string, Trial>(StringComparer.Ordinal);
            foreach (var trial in Trials)
            {
                trials.TryAdd(trial.Id, trial);
            }
            _trialsById = trials;
        }
        return trials.GetValueOrDefault(id);
    }

    /// <summary>Runs one trial: creates the declaration's instance with the trial's values and calls its <c>RunAsync</c>.</summary>
    public abstract Task<TrialResult> RunAsync(Trial trial, TrialContext context);

    protected abstract IEnumerable<Trial> EnumerateTrials();

    /// <summary>Builds a trial from value indices (one per parameter); used by generated code.</summary>
    protected Trial CreateTrial(int index, int repeat, IReadOnlyList<int> valueIndices, Func<int, int, object> value)
    {
        var parameters = new TrialParameter[Parameters.Count];
        for (var p = 0; p < parameters.Length; p++)
        {
            var definition = Parameters[p];
            parameters[p] = new TrialParameter(definition.Name, definition.Key, value(p, valueIndices[p]), definition.Values[valueIndices[p]]);
        }
        var id = TrialId.Format(parameters.Select((parameter, p) => (parameter.Key, parameter.Display, Parameters[p].BareInId)), repeat);
        return new Trial(Name, id, index, repeat, Seed + repeat - 1, parameters);
    }

    public override string ToString() => Name;
}
