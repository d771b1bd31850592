namespace Experiments.Runner.Execution.Host;

/// <summary>
/// The worker slots of one <c>run</c>, shared by every experiment it runs so start-up is paid once per worker.
/// Slot <c>i</c> runs on device <c>i mod devices</c> (<c>--device cuda:0,cuda:1</c>: one worker per device).
/// </summary>
internal sealed class WorkerPool : IAsyncDisposable
{
    private readonly WorkerSlot[] _slots;

    public WorkerPool(WorkerLaunch launch, HostIdentity identity, int size, IReadOnlyList<string> devices)
    {
        _slots = Enumerable.Range(0, size)
            .Select(i => new WorkerSlot(i, launch, identity.ForSlot(i), devices[i % devices.Count]))
            .ToArray();
    }

    public IReadOnlyList<WorkerSlot> Slots => _slots;

    public async ValueTask DisposeAsync()
    {
        // In parallel: each idle worker exits as soon as its stdin closes.
        await Task.WhenAll(_slots.Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);
    }
}
