using System.Runtime.InteropServices;
using System.Text;
using Experiments.Results;
using Experiments.Runner.Execution.Protocol;

namespace Experiments.Runner.Execution.Worker;

/// <summary>
/// The worker process (hidden <c>worker</c> command): reads <c>run</c>/<c>cancel</c> lines from stdin, runs one trial
/// at a time and reports back on stdout. It never touches the store; the host owns every write.
/// </summary>
internal sealed class WorkerHost
{
    /// <summary>How long a trial may take to notice cancellation after the host went away.</summary>
    private static readonly TimeSpan OrphanGrace = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<ExperimentDefinition> _experiments;
    private readonly WorkerChannel _channel;

    private WorkerHost(IReadOnlyList<ExperimentDefinition> experiments, WorkerChannel channel)
    {
        _experiments = experiments;
        _channel = channel;
    }

    public static async Task<int> RunAsync(IReadOnlyList<ExperimentDefinition> experiments)
    {
        // Before anything else: from here on only the protocol writes to the real stdout.
        var channel = new WorkerChannel(ProtocolStdout.Take());

        // Ctrl+C reaches the whole process group; the host decides what happens, so the worker ignores the signals
        // and waits for a cancel message (or for its stdin to close).
        using var sigint = TryIgnore(PosixSignal.SIGINT);
        using var sigterm = TryIgnore(PosixSignal.SIGTERM);

        var host = new WorkerHost(experiments, channel);
        await host.ServeAsync(Console.OpenStandardInput()).ConfigureAwait(false);
        return 0;
    }

    /// <summary>How long a new trial waits for the previous one's task, which has already sent its result, to complete.</summary>
    private static readonly TimeSpan FinishingGrace = TimeSpan.FromSeconds(5);

    private async Task ServeAsync(Stream input)
    {
        using var reader = new StreamReader(input, new UTF8Encoding(false));
        _channel.Send(new ReadyMessage(Environment.ProcessId));

        Task? running = null;
        CancellationTokenSource? cancellation = null;
        string? runningTrialId = null;

        while (!_channel.IsBroken)
        {
            var line = await reader.ReadLineAsync().ConfigureAwait(false);
            if (line is null)
            {
                break;
            }
            switch (ProtocolJson.ParseHostMessage(line))
            {
                case RunTrialMessage run:
                    if (running is { IsCompleted: false })
                    {
                        // The host sends the next trial as soon as it has the previous result, which the trial's task
                        // sends as its last step: give that task a moment to finish before calling the worker busy.
                        await Task.WhenAny(running, Task.Delay(FinishingGrace)).ConfigureAwait(false);
                    }
                    if (running is { IsCompleted: false })
                    {
                        _channel.Send(new ResultMessage(TrialStatus.Failed, new(), $"worker busy with '{runningTrialId}'", 0));
                        break;
                    }
                    cancellation?.Dispose();
                    cancellation = new CancellationTokenSource();
                    runningTrialId = run.TrialId;
                    running = RunTrialAsync(run, cancellation.Token);
                    break;

                case CancelTrialMessage cancel when cancel.TrialId == runningTrialId:
                    cancellation?.Cancel();
                    break;
            }
        }

        // The host closed our stdin (or died): stop the trial and leave; a trial ignoring cancellation is abandoned.
        if (running is { IsCompleted: false })
        {
            cancellation?.Cancel();
            await Task.WhenAny(running, Task.Delay(OrphanGrace)).ConfigureAwait(false);
        }
        cancellation?.Dispose();
    }

    /// <summary>Runs the trial the host names; it is found from its id (generated definitions compute it without enumerating the matrix).</summary>
    private async Task RunTrialAsync(RunTrialMessage run, CancellationToken cancellation)
    {
        ResultMessage result;
        var experiment = _experiments.FirstOrDefault(e => string.Equals(e.Name, run.Experiment, StringComparison.OrdinalIgnoreCase));
        if (experiment is null)
        {
            result = new ResultMessage(TrialStatus.Failed, new(), $"experiment '{run.Experiment}' is not in this build", 0);
        }
        else if (experiment.FindTrial(run.TrialId) is not { } trial)
        {
            result = new ResultMessage(TrialStatus.Failed, new(), $"trial '{run.TrialId}' is not in the matrix of this build", 0);
        }
        else
        {
            result = await TrialExecutor.ExecuteAsync(experiment, trial, run.Device, run.OutputDirectory, _channel.Send, cancellation)
                .ConfigureAwait(false);
        }
        _channel.Send(result);
    }

    private static PosixSignalRegistration? TryIgnore(PosixSignal signal)
    {
        try
        {
            return PosixSignalRegistration.Create(signal, context => context.Cancel = true);
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }
}
