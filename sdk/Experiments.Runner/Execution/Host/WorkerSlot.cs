using Experiments.Results;

namespace Experiments.Runner.Execution.Host;

/// <summary>
/// One place in the pool: a worker process reused across trials, replaced when it dies. The slot keeps its device
/// and its claim identity across replacements.
/// </summary>
internal sealed class WorkerSlot : IAsyncDisposable
{
    /// <summary>Generous: the first start of a big project JITs a lot, on a loaded machine.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly WorkerLaunch _launch;
    private WorkerProcess? _worker;

    public WorkerSlot(int index, WorkerLaunch launch, WorkerIdentity identity, string device)
    {
        Index = index;
        _launch = launch;
        Identity = identity;
        Device = device;
    }

    public int Index { get; }

    public WorkerIdentity Identity { get; }

    public string Device { get; }

    /// <summary>A live, ready worker: the current one, or a new one when there is none or it has died.</summary>
    public async Task<WorkerProcess> EnsureStartedAsync(CancellationToken cancellation)
    {
        if (_worker is { HasExited: false })
        {
            return _worker;
        }
        if (_worker is not null)
        {
            await _worker.DisposeAsync().ConfigureAwait(false);
            _worker = null;
        }

        WorkerProcess worker;
        try
        {
            worker = WorkerProcess.Start(_launch);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new WorkerStartException($"cannot start '{_launch.FileName}': {e.Message}", []);
        }
        _worker = worker;
        try
        {
            await worker.WaitReadyAsync(StartTimeout, cancellation).ConfigureAwait(false);
        }
        catch
        {
            _worker = null;
            await worker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return worker;
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync().ConfigureAwait(false);
            _worker = null;
        }
    }
}
