using System.Collections.Concurrent;
using System.Threading.Channels;
using Experiments.Runner.Execution.Host;
using Experiments.Runner.Terminal;
using Microsoft.Testing.Platform.Extensions.Messages;
using Microsoft.Testing.Platform.Messages;
using Microsoft.Testing.Platform.TestHost;

namespace Experiments.Testing;

/// <summary>
/// What the runner's sweep shows, as test node updates: each experiment's tree, trials passed earlier (from the store),
/// trials in progress and their outcomes. The sweep calls from its worker slots' threads; one pump publishes in order.
/// </summary>
internal sealed class TestNodeSweepView : ISweepView
{
    private readonly Channel<TestNodeUpdateMessage> _updates = Channel.CreateUnbounded<TestNodeUpdateMessage>(new() { SingleReader = true });
    private readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);
    // Configuration nodes published so far: a successive-halving search adds configurations (a rung up) as it runs.
    private readonly ConcurrentDictionary<string, bool> _configurations = new(StringComparer.Ordinal);
    private readonly SessionUid _session;
    private readonly bool _trx;
    private readonly Action<string> _note;
    private readonly Task _pump;

    public TestNodeSweepView(SessionUid session, IMessageBus bus, IDataProducer producer, bool trx, Action<string> note)
    {
        _session = session;
        _trx = trx;
        _note = note;
        _pump = Task.Run(async () =>
        {
            await foreach (var update in _updates.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                await bus.PublishAsync(producer, update).ConfigureAwait(false);
            }
        });
    }

    /// <summary>Whether the trial got a result in this session (passed from the store included).</summary>
    public bool WasReported(string experiment, string trialId) => _reported.ContainsKey(TrialNodes.TrialUid(experiment, trialId));

    public void SweepStarting(SweepPlan plan, int workers)
    {
        var experiment = plan.Experiment.Name;
        PublishTree(experiment, plan.KeptPassed.Select(r => r.TrialId).Concat(plan.Candidates.Select(t => t.Id)));
        foreach (var record in plan.KeptPassed)
        {
            Publish(experiment, record.TrialId, record.Parameters, TrialNodes.StoredPass(record));
        }
    }

    public void TrialStarted(int slot, Trial trial)
        => Publish(trial.Experiment, trial.Id, TrialNodes.ParametersOf(trial), [InProgressTestNodeStateProperty.CachedInstance], final: false);

    public void TrialProgress(int slot, double fraction, string? message)
    {
    }

    public void TrialFinished(int slot, Trial trial, WorkerTrialResult result, string objective)
        => Publish(trial.Experiment, trial.Id, TrialNodes.ParametersOf(trial), TrialNodes.Outcome(result, DateTimeOffset.UtcNow, _trx));

    public void SweepFinished(SweepPlan plan)
    {
    }

    public void Note(string text) => _note(text);

    /// <summary>A trial that gets no result in this session, with the reason.</summary>
    public void Skipped(Trial trial, string reason)
        => Publish(trial.Experiment, trial.Id, TrialNodes.ParametersOf(trial), [new SkippedTestNodeStateProperty(reason)]);

    /// <summary>The experiment and configuration nodes the trials hang under (discovery and run alike).</summary>
    public void PublishTree(string experiment, IEnumerable<string> trialIds)
    {
        _updates.Writer.TryWrite(new TestNodeUpdateMessage(_session, TrialNodes.Experiment(experiment)));
        foreach (var configuration in trialIds.Select(TrialId.ConfigurationIdOf).Distinct(StringComparer.Ordinal))
        {
            PublishConfiguration(experiment, configuration);
        }
    }

    private void PublishConfiguration(string experiment, string configuration)
    {
        if (_configurations.TryAdd(TrialNodes.ConfigurationUid(experiment, configuration), true))
        {
            _updates.Writer.TryWrite(new TestNodeUpdateMessage(
                _session, TrialNodes.Configuration(experiment, configuration), TrialNodes.ExperimentUid(experiment)));
        }
    }

    public void Publish(string experiment, string trialId, IEnumerable<KeyValuePair<string, string>> parameters, IProperty[] state, bool final = true)
    {
        if (final)
        {
            _reported[TrialNodes.TrialUid(experiment, trialId)] = true;
        }
        // A trial promoted during the sweep belongs to a configuration the plan did not have.
        PublishConfiguration(experiment, TrialId.ConfigurationIdOf(trialId));
        var node = TrialNodes.Trial(experiment, trialId, parameters, _trx, state);
        _updates.Writer.TryWrite(new TestNodeUpdateMessage(
            _session, node, TrialNodes.ConfigurationUid(experiment, TrialId.ConfigurationIdOf(trialId))));
    }

    /// <summary>Publishes what is queued and stops the pump.</summary>
    public Task CompleteAsync()
    {
        _updates.Writer.TryComplete();
        return _pump;
    }
}
