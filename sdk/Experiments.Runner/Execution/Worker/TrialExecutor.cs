using System.Diagnostics;
using Experiments.Results;
using Experiments.Runner.Execution.Protocol;

namespace Experiments.Runner.Execution.Worker;

/// <summary>
/// Runs one trial inside a worker and turns every way it can end into a result: the worker process survives
/// anything that can be caught, so the next trial starts without paying start-up again.
/// </summary>
internal static class TrialExecutor
{
    /// <summary>
    /// Where the trial stands in an adaptive search; above the first rung, the same configuration and repeat one rung
    /// below — whose artifacts folder is a sibling of this trial's, named the way the host names them.
    /// </summary>
    internal static SearchRung? RungOf(ExperimentDefinition experiment, Trial trial, string outputDirectory)
    {
        var rung = experiment.RungOf(trial);
        if (rung < 0)
        {
            return null;
        }
        var budget = experiment.Search.Rungs[rung];
        var isTop = rung == experiment.Search.Rungs.Count - 1;
        if (rung == 0 || experiment.AtRung(trial, rung - 1) is not { } previous)
        {
            return new SearchRung(rung, budget, null, null, null) { IsTop = isTop };
        }
        var folder = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outputDirectory))!, FileNames.Safe(previous.Id));
        return new SearchRung(rung, budget, experiment.Search.Rungs[rung - 1], previous.Id, folder) { IsTop = isTop };
    }

    public static async Task<ResultMessage> ExecuteAsync(
        ExperimentDefinition experiment,
        Trial trial,
        string device,
        string outputDirectory,
        Action<WorkerMessage> send,
        CancellationToken cancellation)
    {
        var observer = new ForwardingObserver(send);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            Directory.CreateDirectory(outputDirectory);
            var context = new TrialContext(trial, device, outputDirectory, observer, cancellation) { Rung = RungOf(experiment, trial, outputDirectory) };

            // Task.Run: a trial that computes synchronously must not hold up the loop that reads cancel messages.
            var result = await Task.Run(() => experiment.RunAsync(trial, context), CancellationToken.None).ConfigureAwait(false);
            var elapsed = stopwatch.Elapsed.TotalSeconds;

            if (observer.NonFiniteMetric is { } nonFinite)
            {
                return Failed(nonFinite, elapsed, observer);
            }
            if (result is null)
            {
                return Failed("the trial returned null instead of a TrialResult", elapsed, observer);
            }

            var metrics = observer.FinalMetrics;
            foreach (var (name, value) in result.Metrics)
            {
                if (!double.IsFinite(value))
                {
                    return Failed(NonFiniteMetricException.Describe(name, value, epoch: null), elapsed, observer);
                }
                metrics[name] = value;
            }
            // The one place fit_time gets its fallback: the trial's own measure, else the wall time of RunAsync.
            metrics.TryAdd(MetricNames.FitTime, elapsed);
            return new ResultMessage(TrialStatus.Passed, metrics, null, elapsed);
        }
        catch (Exception exception)
        {
            return FromException(Unwrap(exception), stopwatch.Elapsed.TotalSeconds, observer, cancellation);
        }
    }

    private static ResultMessage FromException(Exception exception, double elapsed, ForwardingObserver observer, CancellationToken cancellation)
    {
        if (observer.NonFiniteMetric is { } nonFinite)
        {
            return Failed(nonFinite, elapsed, observer);
        }
        if (exception is OperationCanceledException && cancellation.IsCancellationRequested)
        {
            return new ResultMessage(TrialStatus.Interrupted, observer.FinalMetrics, "interrupted", elapsed);
        }
        if (exception is MissingPrerequisiteException)
        {
            // An environment problem, not the trial's: it stays pending; the message says what is missing and how to get it.
            return new ResultMessage(TrialStatus.Pending, new(), exception.Message, elapsed);
        }

        var reason = exception switch
        {
            // The first line names the reason plainly; the full exception follows for the store.
            OutOfMemoryException => $"out of memory: {exception.Message}\n{exception}",
            InsufficientExecutionStackException => $"insufficient execution stack (recursion too deep): {exception.Message}\n{exception}",
            _ => exception.ToString(),
        };
        if (exception is OutOfMemoryException)
        {
            // Give the next trial its memory back before it starts.
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return Failed(reason, elapsed, observer);
    }

    private static ResultMessage Failed(string reason, double elapsed, ForwardingObserver observer)
        => new(TrialStatus.Failed, observer.FinalMetrics, reason, elapsed);

    private static Exception Unwrap(Exception exception)
        => exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : exception;
}
