namespace Experiments.Runner.Filtering;

/// <summary>
/// Selects trials by parameter values. Syntax: clauses joined by <c>&amp;</c>, all of which must match. A clause is
/// <c>Name=pattern</c> or <c>Name!=pattern</c>, where Name is a parameter's name or key (case-insensitive) and the
/// pattern is one or more <c>,</c>-separated alternatives, compared with the value as it appears in trial ids; a clause
/// without <c>=</c> (or with <c>/</c>, <c>*</c> or <c>#</c> before it) is a pattern over the whole trial id.
/// Patterns follow the one <see cref="Wildcard"/> rule that <c>[Exclude]</c> rules follow too: <c>*</c> matches any run
/// of characters (including none), and letters match regardless of case.
/// Example: <c>Arch=convnext*,resnet18&amp;Resize!=pad&amp;*#1</c>.
/// A parameter clause keeps, of its parameter, the values it matches: <see cref="Select"/> and <see cref="Count"/> hand
/// that sub-matrix to the definition's index arithmetic, so the trials the parameter clauses rule out are never
/// enumerated (a filter that fixes a few parameters of a billion-trial matrix visits only the trials it keeps); only
/// id clauses are checked trial by trial.
/// </summary>
public sealed class TrialFilter
{
    /// <summary>The help text of <c>--filter</c>; kept next to the parser so the two agree.</summary>
    public const string Syntax =
        "Select trials: clauses joined by '&', each 'Name=pattern' or 'Name!=pattern' where Name is a parameter "
        + "name or key and pattern has '*' wildcards (any run of characters, as in [Exclude] rules) and ',' "
        + "alternatives; a clause without '=' (or with '/', '*' or '#' before its '=') matches the whole trial id. "
        + "Names and patterns are case-insensitive. Example: \"Arch=convnext*,resnet18&Resize!=pad&*#1\".";

    private readonly IReadOnlyList<FilterClause> _clauses;

    private TrialFilter(string text, IReadOnlyList<FilterClause> clauses)
    {
        Text = text;
        _clauses = clauses;
    }

    /// <summary>Matches every trial.</summary>
    public static TrialFilter All { get; } = new(string.Empty, Array.Empty<FilterClause>());

    public string Text { get; }

    /// <summary>The clauses, all of which must match (see <see cref="FilterValues"/>).</summary>
    internal IReadOnlyList<FilterClause> Clauses => _clauses;

    /// <summary>Parses <paramref name="text"/> against the experiment's parameters; throws <see cref="FilterException"/>.</summary>
    public static TrialFilter Parse(string? text, IReadOnlyList<ParameterDefinition> parameters)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return All;
        }

        var clauses = new List<FilterClause>();
        foreach (var rawClause in text.Split('&'))
        {
            var clause = rawClause.Trim();
            if (clause.Length == 0)
            {
                throw new FilterException($"Filter '{text}' has an empty clause (two '&' in a row or a trailing '&').");
            }
            clauses.Add(ParseClause(clause, parameters));
        }
        return new TrialFilter(text.Trim(), clauses);
    }

    public bool Matches(Trial trial)
        => Matches(trial.Id, trial.Parameters.Select(p => p.Display).ToArray());

    /// <summary>Whether some clause is a pattern over the whole id, which only the trial itself can be checked against.</summary>
    public bool HasIdClauses => _clauses.Any(c => c is TrialIdClause);

    /// <summary>
    /// The sub-matrix the parameter clauses leave: per parameter, the values its clauses match (all of them when none
    /// names it). <paramref name="parameters"/> are those the filter was parsed against.
    /// </summary>
    public MatrixSelection SelectionOf(IReadOnlyList<ParameterDefinition> parameters)
    {
        var selection = MatrixSelection.All(parameters);
        foreach (var clause in _clauses.OfType<ParameterClause>())
        {
            selection = selection.Where(clause.ParameterIndex, clause.MatchesValue);
        }
        return selection;
    }

    /// <summary>
    /// The trials of <paramref name="experiment"/> (the one the filter was parsed for) that match, in matrix order with
    /// their matrix indices: the parameter clauses restrict the matrix before it is enumerated, and only the trials
    /// left are checked against the id clauses.
    /// </summary>
    public IEnumerable<Trial> Select(ExperimentDefinition experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var trials = experiment.TrialsIn(SelectionOf(experiment.Parameters));
        if (!HasIdClauses)
        {
            return trials;
        }
        var idClauses = _clauses.OfType<TrialIdClause>().ToArray();
        return trials.Where(t => idClauses.All(c => Wildcard.IsMatch(c.Pattern, t.Id)));
    }

    /// <summary>How many trials <see cref="Select"/> yields: computed, not enumerated, unless the filter has id clauses.</summary>
    public long Count(ExperimentDefinition experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return HasIdClauses ? Select(experiment).LongCount() : experiment.CountIn(SelectionOf(experiment.Parameters));
    }

    private bool Matches(string trialId, IReadOnlyList<string> displayValues)
    {
        foreach (var clause in _clauses)
        {
            if (!clause.Matches(trialId, displayValues))
            {
                return false;
            }
        }
        return true;
    }

    private static FilterClause ParseClause(string clause, IReadOnlyList<ParameterDefinition> parameters)
    {
        var equals = clause.IndexOf('=');
        var negated = equals > 0 && clause[equals - 1] == '!';
        var name = equals < 0 ? string.Empty : clause[..(negated ? equals - 1 : equals)].Trim();

        // Ids contain '=' too (lr=0.008/…): only a name that could be a parameter makes a parameter clause.
        if (equals < 0 || name.Any(c => c is TrialId.ParameterSeparator or Wildcard.Star or TrialId.RepeatSeparator))
        {
            return new TrialIdClause(clause);
        }
        if (name.Length == 0)
        {
            throw new FilterException($"Filter clause '{clause}' has no parameter name before '='.");
        }
        var pattern = clause[(equals + 1)..].Trim();

        var index = IndexOfParameter(name, parameters);
        if (index < 0)
        {
            throw new FilterException(
                $"Unknown parameter '{name}' in filter clause '{clause}'. Parameters: {Describe(parameters)}.");
        }

        var alternatives = pattern.Split(',').Select(a => a.Trim()).ToArray();
        if (alternatives.Any(a => a.Length == 0))
        {
            throw new FilterException($"Filter clause '{clause}' has an empty value; write e.g. '{name}=value' or '{name}=a,b*'.");
        }
        return new ParameterClause(index, parameters[index].Name, negated, alternatives);
    }

    private static int IndexOfParameter(string name, IReadOnlyList<ParameterDefinition> parameters)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            if (string.Equals(parameters[i].Name, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(parameters[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    private static string Describe(IReadOnlyList<ParameterDefinition> parameters)
        => parameters.Count == 0
            ? "(none)"
            : string.Join(", ", parameters.Select(p =>
                string.Equals(p.Name, p.Key, StringComparison.OrdinalIgnoreCase) ? p.Name : $"{p.Name} ({p.Key})"));

    public override string ToString() => Text;
}
