namespace Experiments.Runner.Filtering;

/// <summary>One <c>&amp;</c>-separated part of a filter.</summary>
internal abstract record FilterClause
{
    public abstract bool Matches(string trialId, IReadOnlyList<string> displayValues);
}

/// <summary><c>Name=a,b*</c> or <c>Name!=a,b*</c>: the parameter's display value against any of the alternatives (<see cref="Wildcard"/> patterns).</summary>
internal sealed record ParameterClause(int ParameterIndex, string ParameterName, bool Negated, IReadOnlyList<string> Alternatives) : FilterClause
{
    public override bool Matches(string trialId, IReadOnlyList<string> displayValues) => MatchesValue(displayValues[ParameterIndex]);

    /// <summary>Whether a trial with this display value of the parameter matches: what restricts the parameter's values in a <see cref="MatrixSelection"/>.</summary>
    public bool MatchesValue(string value)
    {
        var any = Alternatives.Any(a => Wildcard.IsMatch(a, value));
        return any != Negated;
    }
}

/// <summary>A clause without <c>=</c>: a <see cref="Wildcard"/> pattern over the whole trial id (e.g. <c>*#1</c> for the first repeat).</summary>
internal sealed record TrialIdClause(string Pattern) : FilterClause
{
    public override bool Matches(string trialId, IReadOnlyList<string> displayValues) => Wildcard.IsMatch(Pattern, trialId);
}
