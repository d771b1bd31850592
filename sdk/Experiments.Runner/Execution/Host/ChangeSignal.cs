namespace Experiments.Runner.Execution.Host;

/// <summary>Wakes every waiter when something changed; a waiter also wakes after its timeout or on cancellation.</summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Pulse() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Returns when pulsed, after <paramref name="timeout"/>, or when <paramref name="cancellation"/> is signalled.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        var changed = Volatile.Read(ref _changed).Task;
        try
        {
            await changed.WaitAsync(timeout, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Time to look again, or to stop: the caller's loop checks which.
        }
    }
}
