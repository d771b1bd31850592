using Experiments.Results;

namespace Experiments.Runner.Execution.Host;

/// <summary>
/// Refreshes the heartbeat of every running trial, so another host can tell a live claim from one whose host died
/// on another machine (on this machine a dead process is noticed directly).
/// </summary>
internal sealed class HeartbeatLoop : IAsyncDisposable
{
    private readonly IResultStore _store;
    private readonly HashSet<(string Experiment, string TrialId, WorkerIdentity Worker)> _running = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public HeartbeatLoop(IResultStore store, TimeSpan interval)
    {
        _store = store;
        _loop = Task.Run(() => RunAsync(interval));
    }

    public void Add(string experiment, string trialId, WorkerIdentity worker)
    {
        lock (_running)
        {
            _running.Add((experiment, trialId, worker));
        }
    }

    public void Remove(string experiment, string trialId, WorkerIdentity worker)
    {
        lock (_running)
        {
            _running.Remove((experiment, trialId, worker));
        }
    }

    private async Task RunAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                Beat();
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private void Beat()
    {
        (string Experiment, string TrialId, WorkerIdentity Worker)[] running;
        lock (_running)
        {
            running = _running.ToArray();
        }
        foreach (var group in running.GroupBy(r => (r.Experiment, r.Worker)))
        {
            try
            {
                _store.Heartbeat(group.Key.Experiment, group.Select(r => r.TrialId).ToArray(), group.Key.Worker);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A busy or briefly unavailable store: the next beat will do; a claim goes stale only after many misses.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
