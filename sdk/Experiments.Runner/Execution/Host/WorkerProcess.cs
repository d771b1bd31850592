using System.Diagnostics;
using Experiments.Results;
using Experiments.Runner.Execution.Protocol;

namespace Experiments.Runner.Execution.Host;

/// <summary>
/// The host's handle on one worker process: starts it, sends it trials one at a time, relays what it reports and
/// notices when it dies, turning a death during a trial into a failed result marked <see cref="WorkerTrialResult.WorkerDied"/>.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StderrMonitor _stderr = new();
    private readonly TaskCompletionSource<int> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private readonly StreamWriter _input;
    private PendingTrial? _current;
    private bool _killedByHost;

    private WorkerProcess(Process process)
    {
        _process = process;
        _input = process.StandardInput;
        _input.AutoFlush = true;
        _input.NewLine = "\n";
        var stderr = Task.Run(ReadStderrAsync);
        var stdout = Task.Run(ReadStdoutAsync);
        _ = Task.Run(() => WatchExitAsync(stdout, stderr));
    }

    public int ProcessId => _process.Id;

    /// <summary>True once the process has exited and its output has been drained.</summary>
    public bool HasExited => _exited.Task.IsCompleted;

    public static WorkerProcess Start(WorkerLaunch launch)
    {
        var process = Process.Start(launch.ToStartInfo()) ?? throw new InvalidOperationException($"Could not start '{launch.FileName}'.");
        return new WorkerProcess(process);
    }

    /// <summary>Waits for the worker's <c>ready</c> line; throws with the worker's stderr when it dies first.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        try
        {
            await _ready.Task.WaitAsync(timeout, cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill();
            throw new WorkerStartException($"worker did not start within {timeout.TotalSeconds:0} s", _stderr.Tail);
        }
    }

    /// <summary>Runs one trial; never throws for anything the worker does (a death is a <see cref="WorkerTrialResult.WorkerDied"/> result).</summary>
    public Task<WorkerTrialResult> RunAsync(RunTrialMessage request, Action<MetricMessage> onMetric, Action<ProgressMessage> onProgress)
    {
        var pending = new PendingTrial(request.TrialId, onMetric, onProgress);
        lock (_gate)
        {
            if (_current is not null)
            {
                throw new InvalidOperationException($"Worker {ProcessId} is already running '{_current.TrialId}'.");
            }
            _current = pending;
        }
        _stderr.Clear();
        if (HasExited || !TrySend(request))
        {
            // The exit handler may have run before _current was set: finish the trial from here.
            _ = FailWhenExitedAsync(pending);
        }
        return pending.Result.Task;
    }

    /// <summary>Asks the worker to cancel its trial's token; the trial then ends as interrupted (or finishes).</summary>
    public void RequestCancel()
    {
        string? trialId;
        lock (_gate)
        {
            trialId = _current?.TrialId;
        }
        if (trialId is not null)
        {
            TrySend(new CancelTrialMessage(trialId));
        }
    }

    /// <summary>Kills the worker and its children; its running trial ends as crashed, flagged as the host's doing.</summary>
    public void Kill()
    {
        _killedByHost = true;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting right now.
        }
    }

    /// <summary>True when the last death was <see cref="Kill"/>'s (an interrupt), not the trial's.</summary>
    public bool KilledByHost => _killedByHost;

    /// <summary>Closes the worker's stdin (it exits when idle) and kills it if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _input.Close();
        }
        catch (IOException)
        {
            // The worker is already gone.
        }
        var finished = await Task.WhenAny(_exited.Task, Task.Delay(TimeSpan.FromSeconds(3))).ConfigureAwait(false);
        if (finished != _exited.Task)
        {
            Kill();
            await Task.WhenAny(_exited.Task, Task.Delay(TimeSpan.FromSeconds(3))).ConfigureAwait(false);
        }
        _process.Dispose();
    }

    private bool TrySend(HostMessage message)
    {
        try
        {
            lock (_input)
            {
                _input.WriteLine(ProtocolJson.Serialize(message));
            }
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    private async Task ReadStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Dispatch(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe broke with the process; the exit watcher reports it.
        }
    }

    private void Dispatch(string line)
    {
        var message = ProtocolJson.ParseWorkerMessage(line);
        if (message is null)
        {
            // Not protocol: something wrote to stdout past our redirection (Windows native code); keep it as output.
            _stderr.Add(line);
            return;
        }

        PendingTrial? current;
        lock (_gate)
        {
            current = _current;
        }
        switch (message)
        {
            case ReadyMessage ready:
                _ready.TrySetResult(ready.ProcessId);
                break;
            case MetricMessage metric:
                current?.OnMetric(metric);
                break;
            case ProgressMessage progress:
                current?.OnProgress(progress);
                break;
            case ResultMessage result when current is not null:
                lock (_gate)
                {
                    _current = null;
                }
                current.Result.TrySetResult(ToTrialResult(result));
                break;
        }
    }

    private static WorkerTrialResult ToTrialResult(ResultMessage result)
    {
        // A result ends a trial: anything but passed, interrupted or not started (pending) is a failure.
        var status = result.Status is TrialStatus.Passed or TrialStatus.Interrupted or TrialStatus.Pending ? result.Status : TrialStatus.Failed;
        return new WorkerTrialResult(status, result.Metrics ?? new(), result.Error, result.Duration);
    }

    private async Task ReadStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                _stderr.Add(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Gone with the process.
        }
    }

    private async Task WatchExitAsync(Task stdout, Task stderr)
    {
        int exitCode;
        try
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            exitCode = _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            exitCode = -1;
        }

        // Let the pipes drain (a result sent just before dying, the runtime's last words on stderr), but not forever:
        // a child process the trial started may hold them open.
        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);

        _ready.TrySetException(new WorkerStartException($"worker exited during start-up (exit {exitCode})", _stderr.Tail));

        PendingTrial? current;
        lock (_gate)
        {
            current = _current;
            _current = null;
        }
        _exited.TrySetResult(exitCode);
        current?.Result.TrySetResult(CrashResult(current, exitCode));
    }

    private async Task FailWhenExitedAsync(PendingTrial pending)
    {
        var exitCode = await _exited.Task.ConfigureAwait(false);
        lock (_gate)
        {
            if (_current == pending)
            {
                _current = null;
            }
        }
        pending.Result.TrySetResult(CrashResult(pending, exitCode));
    }

    private WorkerTrialResult CrashResult(PendingTrial trial, int exitCode)
        => new(TrialStatus.Failed, trial.FinalMetrics, CrashDiagnosis.Report(exitCode, _stderr), trial.Elapsed.TotalSeconds, WorkerDied: true);
}
