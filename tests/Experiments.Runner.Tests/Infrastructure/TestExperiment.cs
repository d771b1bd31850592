namespace Experiments.Runner.Tests.Infrastructure;

/// <summary>An in-process experiment whose trials run a given delegate (for tests that need no process).</summary>
internal sealed class TestExperiment : ExperimentDefinition
{
    private readonly Func<Trial, TrialContext, Task<TrialResult>> _run;

    public TestExperiment(Func<Trial, TrialContext, Task<TrialResult>> run, params ParameterDefinition[] parameters)
        : base("Test", 1, "error_rate", Goal.Minimize, 80, 1, parameters.Aggregate(1, (n, p) => n * p.Values.Count), 0, parameters, [])
    {
        _run = run;
    }

    public static ParameterDefinition Parameter(string name, string key, bool bare, params string[] values)
        => new(name, key, "string", bare, values);

    public override Task<TrialResult> RunAsync(Trial trial, TrialContext context) => _run(trial, context);

    protected override IEnumerable<Trial> EnumerateTrials()
    {
        var counts = Parameters.Select(p => p.Values.Count).ToArray();
        var indices = new int[counts.Length];
        var index = 0;
        while (true)
        {
            var snapshot = indices.ToArray();
            yield return CreateTrial(index++, 1, snapshot, (p, v) => Parameters[p].Values[v]);
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
