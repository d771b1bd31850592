namespace Experiments.Runner.Tests.Infrastructure;

/// <summary>
/// An in-process experiment whose trials run a given delegate (for tests that need no process). Like generated code,
/// an <see cref="IndexedExperimentDefinition"/>: string values, optional exclusion rules and repeats. It counts the
/// values it hands out, so a test can see how many trials were built.
/// </summary>
internal sealed class TestExperiment : IndexedExperimentDefinition
{
    private readonly Func<Trial, TrialContext, Task<TrialResult>> _run;
    private long _valuesLookedUp;

    public TestExperiment(Func<Trial, TrialContext, Task<TrialResult>> run, params ParameterDefinition[] parameters)
        : this(run, 1, [], parameters)
    {
    }

    public TestExperiment(Func<Trial, TrialContext, Task<TrialResult>> run, int repeats, IReadOnlyList<ExclusionRule> exclusions, params ParameterDefinition[] parameters)
        : base("Test", repeats, "error_rate", Goal.Minimize, 80, 1, checked(Kept(parameters, exclusions) * repeats), 0, parameters, [], exclusions)
    {
        _run = run;
    }

    /// <summary>Typed values handed out so far: one per parameter per trial built.</summary>
    public long ValuesLookedUp => Interlocked.Read(ref _valuesLookedUp);

    public static ParameterDefinition Parameter(string name, string key, bool bare, params string[] values)
        => new(name, key, "string", bare, values);

    public override Task<TrialResult> RunAsync(Trial trial, TrialContext context) => _run(trial, context);

    protected override object ValueAt(int parameter, int valueIndex)
    {
        Interlocked.Increment(ref _valuesLookedUp);
        return Parameters[parameter].Values[valueIndex];
    }

    /// <summary>Combinations the rules keep, by brute force (the product alone when there are no rules).</summary>
    private static int Kept(IReadOnlyList<ParameterDefinition> parameters, IReadOnlyList<ExclusionRule> exclusions)
    {
        var product = parameters.Aggregate(1L, (n, p) => n * p.Values.Count);
        if (exclusions.Count == 0)
        {
            return checked((int)product);
        }
        var kept = 0;
        foreach (var combination in Combinations(parameters.Select(p => p.Values.Count).ToArray()))
        {
            if (!exclusions.Any(r => r.FirstValues.Contains(combination[r.First]) && r.SecondValues.Contains(combination[r.Second])))
            {
                kept++;
            }
        }
        return kept;
    }

    /// <summary>Every combination of value indices, the last parameter fastest.</summary>
    public static IEnumerable<int[]> Combinations(int[] counts)
    {
        if (counts.Any(c => c == 0))
        {
            yield break;
        }
        var indices = new int[counts.Length];
        while (true)
        {
            yield return indices.ToArray();
            var position = counts.Length - 1;
            while (position >= 0 && ++indices[position] == counts[position])
            {
                indices[position--] = 0;
            }
            if (position < 0)
            {
                yield break;
            }
        }
    }
}
