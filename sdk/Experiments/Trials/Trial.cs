namespace Experiments;

/// <summary>One named parameter value of a trial; <see cref="Display"/> is the invariant text used in ids and reports.</summary>
public sealed record TrialParameter(string Name, string Key, object Value, string Display);

/// <summary>
/// One cell of the matrix: a combination of parameter values and a repeat. <see cref="Index"/> is the position
/// in the deterministic matrix order (repeat-major: every combination of repeat #1 first).
/// </summary>
public sealed class Trial
{
    public Trial(string experiment, string id, int index, int repeat, int seed, IReadOnlyList<TrialParameter> parameters)
    {
        Experiment = experiment;
        Id = id;
        Index = index;
        Repeat = repeat;
        Seed = seed;
        Parameters = parameters;
    }

    public string Experiment { get; }
    public string Id { get; }
    public int Index { get; }
    public int Repeat { get; }
    public int Seed { get; }
    public IReadOnlyList<TrialParameter> Parameters { get; }

    /// <summary>The id without the repeat suffix: the same for every repeat of one combination (see <see cref="TrialId"/>).</summary>
    public string ConfigurationId => TrialId.ConfigurationIdOf(Id);

    public override string ToString() => Id;
}
