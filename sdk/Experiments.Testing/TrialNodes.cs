using System.Globalization;
using Experiments.Results;
using Experiments.Runner.Execution.Host;
using Microsoft.Testing.Extensions.TrxReport.Abstractions;
using Microsoft.Testing.Platform.Extensions.Messages;

namespace Experiments.Testing;

/// <summary>
/// Trials as test nodes, nested experiment → configuration → repeat: a trial's uid is its experiment and id
/// (<c>LogisticSweep/lr=0.1/epochs=10#2</c>: stable across builds, as the id is), its display name the id; its
/// parameters and metrics are <see cref="TestMetadataProperty"/>s, which the TRX report lists as properties.
/// </summary>
internal static class TrialNodes
{
    public static string ExperimentUid(string experiment) => experiment;

    /// <summary>Unambiguous: experiment names are folder names (no <c>/</c>), and a configuration id has no <c>#</c>.</summary>
    public static string ConfigurationUid(string experiment, string configurationId) => $"{experiment}/{configurationId}";

    public static string TrialUid(string experiment, string trialId) => $"{experiment}/{trialId}";

    /// <summary>
    /// The path <c>--treenode-filter</c> matches: <c>/experiment/configuration/repeat</c>, each segment escaped as a URI
    /// data string (a configuration id holds <c>/</c>), e.g. <c>/LogisticSweep/*/2</c>.
    /// </summary>
    public static string TreePath(string experiment, string trialId)
        => $"/{Uri.EscapeDataString(experiment)}/{Uri.EscapeDataString(TrialId.ConfigurationIdOf(trialId))}/{RepeatOf(trialId)}";

    public static string RepeatOf(string trialId) => trialId[(trialId.LastIndexOf('#') + 1)..];

    public static TestNode Experiment(string experiment) => new()
    {
        Uid = ExperimentUid(experiment),
        DisplayName = experiment,
        Properties = new PropertyBag(),
    };

    public static TestNode Configuration(string experiment, string configurationId) => new()
    {
        Uid = ConfigurationUid(experiment, configurationId),
        DisplayName = configurationId,
        Properties = new PropertyBag(),
    };

    /// <summary>The parameters as filterable properties (<c>--treenode-filter "/**[Epochs=10]"</c>).</summary>
    public static PropertyBag ParameterProperties(IEnumerable<KeyValuePair<string, string>> parameters)
        => new(parameters.Select(p => (IProperty)new TestMetadataProperty(p.Key, p.Value)).ToArray());

    public static IEnumerable<KeyValuePair<string, string>> ParametersOf(Trial trial)
        => trial.Parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Display));

    public static TestNode Trial(string experiment, string trialId, IEnumerable<KeyValuePair<string, string>> parameters, bool trx, params IProperty[] state)
    {
        var properties = new List<IProperty>(state);
        properties.AddRange(parameters.Select(p => new TestMetadataProperty(p.Key, p.Value)));
        if (trx)
        {
            properties.Add(new TrxFullyQualifiedTypeNameProperty(experiment));
        }
        return new TestNode
        {
            Uid = TrialUid(experiment, trialId),
            DisplayName = trialId,
            Properties = new PropertyBag(properties.ToArray()),
        };
    }

    /// <summary>A trial that ran in this session, with its outcome as the runner recorded it.</summary>
    public static IProperty[] Outcome(WorkerTrialResult result, DateTimeOffset end, bool trx)
    {
        var properties = new List<IProperty> { Timing(end.AddSeconds(-result.DurationSeconds), end, result.DurationSeconds) };
        switch (result.Status)
        {
            case TrialStatus.Passed:
                properties.Add(PassedTestNodeStateProperty.CachedInstance);
                properties.AddRange(Metrics(result.Metrics));
                break;
            case TrialStatus.Pending:
                properties.Add(new SkippedTestNodeStateProperty("not started, stays pending: " + (result.Reason ?? "a prerequisite is missing")));
                break;
            case TrialStatus.Interrupted:
                properties.Add(new FailedTestNodeStateProperty(result.Error ?? "interrupted (runs again on the next run)"));
                break;
            default:
                // The reason, then the stack trace and the worker's last stderr lines, as the store keeps them.
                var failure = new TrialFailure(result.Error ?? "failed");
                properties.Add(new FailedTestNodeStateProperty(failure, failure.Message));
                properties.AddRange(Metrics(result.Metrics));
                if (trx)
                {
                    properties.Add(new TrxExceptionProperty(failure.Message, failure.StackTrace));
                }
                break;
        }
        return properties.ToArray();
    }

    /// <summary>A trial that passed in an earlier run: reported from the store with the metrics it recorded.</summary>
    public static IProperty[] StoredPass(TrialRecord record)
    {
        var properties = new List<IProperty>
        {
            new PassedTestNodeStateProperty($"passed earlier{(record.FinishedAt is { } at ? " (" + at.ToString("u", CultureInfo.InvariantCulture) + ")" : "")}; result from the store, not run again (--rerun runs it)"),
        };
        if (record is { StartedAt: { } start, FinishedAt: { } finish })
        {
            properties.Add(Timing(start, finish, record.DurationSeconds ?? (finish - start).TotalSeconds));
        }
        properties.AddRange(Metrics(record.Metrics));
        return properties.ToArray();
    }

    public static IEnumerable<IProperty> Metrics(IReadOnlyDictionary<string, double> metrics)
        => metrics.OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => new TestMetadataProperty(m.Key, m.Value.ToString("R", CultureInfo.InvariantCulture)));

    private static TimingProperty Timing(DateTimeOffset start, DateTimeOffset end, double seconds)
        => new(new TimingInfo(start, end, TimeSpan.FromSeconds(Math.Max(0, seconds))));
}
