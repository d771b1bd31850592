using System.Runtime.InteropServices;

namespace Experiments.Runner.Execution.Host;

/// <summary>
/// Ctrl+C / SIGTERM during <c>run</c> (or a store that failed, <see cref="Stop"/>): the first signal stops claiming and asks running trials to cancel, and kills
/// the workers still busy after a grace period; a second signal kills them at once.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _kill = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan _grace;
    private readonly List<PosixSignalRegistration> _registrations = new();
    private int _requests;

    public ShutdownSignal(TimeSpan grace) => _grace = grace;

    /// <summary>Listens for SIGINT and SIGTERM (where the platform has them) instead of letting them end the process.</summary>
    public static ShutdownSignal Listen(TimeSpan grace)
    {
        var signal = new ShutdownSignal(grace);
        foreach (var posix in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                signal._registrations.Add(PosixSignalRegistration.Create(posix, context =>
                {
                    context.Cancel = true;
                    signal.Request(context.Signal);
                }));
            }
            catch (PlatformNotSupportedException)
            {
                // Not on this platform.
            }
        }
        return signal;
    }

    public CancellationToken Stopping => _stopping.Token;

    public bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>Completes when workers still running a trial must be killed.</summary>
    public Task KillDeadline => _kill.Task;

    public PosixSignal? Signal { get; private set; }

    /// <summary>The conventional exit code for death by the signal: 128 + its number.</summary>
    public int ExitCode => Signal switch
    {
        PosixSignal.SIGINT => 130,
        PosixSignal.SIGTERM => 143,
        null => 0,
        _ => 1,
    };

    /// <summary>
    /// Stops the run as a first signal would, for a reason of its own (the results store failed): no more claims, running
    /// trials are asked to cancel and killed after the grace period. <see cref="Signal"/> stays null.
    /// </summary>
    public void Stop() => Begin(null);

    public void Request(PosixSignal signal) => Begin(signal);

    private void Begin(PosixSignal? signal)
    {
        if (Interlocked.Increment(ref _requests) == 1)
        {
            Signal = signal;
            _stopping.Cancel();
            _ = Task.Delay(_grace).ContinueWith(_ => _kill.TrySetResult(), TaskScheduler.Default);
        }
        else
        {
            _kill.TrySetResult();
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _stopping.Dispose();
    }
}
