using System.Collections.Concurrent;
using Experiments.Results;
using Experiments.Runner.Execution.Worker;
using Experiments.Runner.Execution.Protocol;
using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.Execution;

/// <summary>What a worker makes of each way a trial can end, in process (no worker needed).</summary>
public class TrialExecutorTests
{
    private readonly ConcurrentQueue<WorkerMessage> _sent = new();

    private Task<ResultMessage> Execute(Func<Trial, TrialContext, Task<TrialResult>> run, CancellationToken cancellation = default)
    {
        var experiment = new TestExperiment(run, TestExperiment.Parameter("Arch", "arch", true, "tiny"));
        var output = Path.Combine(Path.GetTempPath(), "experiments-runner-tests", "executor");
        return TrialExecutor.ExecuteAsync(experiment, experiment.Trials.Single(), "cpu", output, _sent.Enqueue, cancellation);
    }

    [Fact]
    public async Task A_passing_trial_returns_its_metrics_merged_with_the_reported_ones()
    {
        var result = await Execute((_, context) =>
        {
            context.ReportEpoch(1, MetricNames.TrainLoss, 0.7);
            context.ReportMetric("accuracy", 0.9);
            context.ReportProgress(0.5, "half");
            return Task.FromResult(TrialResult.Success((MetricNames.ErrorRate, 0.1)));
        });

        Assert.Equal(TrialStatus.Passed, result.Status);
        Assert.Equal(0.1, result.Metrics[MetricNames.ErrorRate]);
        Assert.Equal(0.9, result.Metrics["accuracy"]);
        Assert.False(result.Metrics.ContainsKey(MetricNames.TrainLoss));
        Assert.Contains(_sent, m => m is MetricMessage { Name: MetricNames.TrainLoss, Epoch: 1, Value: 0.7 });
        Assert.Contains(_sent, m => m is ProgressMessage { Fraction: 0.5, Message: "half" });
    }

    [Fact]
    public async Task A_passing_trial_without_a_fit_time_gets_its_wall_time()
    {
        var result = await Execute((_, _) => Task.FromResult(TrialResult.Success((MetricNames.ErrorRate, 0.1))));

        Assert.Equal(TrialStatus.Passed, result.Status);
        Assert.Equal(result.Duration, result.Metrics[MetricNames.FitTime]);
    }

    [Fact]
    public async Task A_fit_time_the_trial_reports_is_kept()
    {
        var result = await Execute((_, _) => Task.FromResult(TrialResult.Success((MetricNames.FitTime, 42.0))));

        Assert.Equal(42.0, result.Metrics[MetricNames.FitTime]);
    }

    [Fact]
    public async Task A_missing_prerequisite_leaves_the_trial_pending()
    {
        var result = await Execute((_, _) => throw new MissingPrerequisiteException("data set 'x' is not installed: run data fetch x"));

        Assert.Equal(TrialStatus.Pending, result.Status);
        Assert.Equal("data set 'x' is not installed: run data fetch x", result.Error);
        Assert.Empty(result.Metrics);
    }

    [Fact]
    public async Task An_exception_fails_the_trial_with_its_type_message_and_stack()
    {
        var result = await Execute((_, _) => throw new InvalidOperationException("the model exploded"));

        Assert.Equal(TrialStatus.Failed, result.Status);
        Assert.StartsWith("System.InvalidOperationException: the model exploded", result.Error);
        Assert.Contains(nameof(TrialExecutorTests), result.Error);
    }

    [Fact]
    public async Task A_NaN_epoch_metric_stops_and_fails_the_trial_even_if_the_trial_swallows_the_exception()
    {
        var reachedAfterNaN = false;
        var result = await Execute((_, context) =>
        {
            try
            {
                context.ReportEpoch(3, MetricNames.TrainLoss, double.NaN);
                reachedAfterNaN = true;
            }
            catch (NonFiniteMetricException)
            {
                // A trial that catches everything still fails.
            }
            return Task.FromResult(TrialResult.Success((MetricNames.ErrorRate, 0.1)));
        });

        Assert.False(reachedAfterNaN);
        Assert.Equal(TrialStatus.Failed, result.Status);
        Assert.Equal("metric 'train_loss' is NaN (epoch 3)", result.Error);
        Assert.DoesNotContain(_sent, m => m is MetricMessage { Name: MetricNames.TrainLoss });
    }

    [Fact]
    public async Task An_infinite_final_metric_fails_the_trial_naming_the_metric()
    {
        var result = await Execute((_, _) => Task.FromResult(TrialResult.Success((MetricNames.ValidLoss, double.PositiveInfinity))));

        Assert.Equal(TrialStatus.Failed, result.Status);
        Assert.Equal("metric 'valid_loss' is +Infinity", result.Error);
    }

    [Fact]
    public async Task Out_of_memory_fails_the_trial_with_that_reason()
    {
        var result = await Execute((_, _) => throw new OutOfMemoryException("CUDA out of memory"));

        Assert.Equal(TrialStatus.Failed, result.Status);
        Assert.StartsWith("out of memory: CUDA out of memory", result.Error);
    }

    [Fact]
    public async Task Insufficient_execution_stack_fails_the_trial_with_that_reason()
    {
        var result = await Execute((_, _) => throw new InsufficientExecutionStackException());

        Assert.Equal(TrialStatus.Failed, result.Status);
        Assert.StartsWith("insufficient execution stack", result.Error);
    }

    [Fact]
    public async Task Cancellation_through_the_token_interrupts_the_trial()
    {
        using var cancellation = new CancellationTokenSource();
        var result = await Execute(
            async (_, context) =>
            {
                await cancellation.CancelAsync();
                await Task.Delay(Timeout.Infinite, context.Cancellation);
                return TrialResult.Success();
            },
            cancellation.Token);

        Assert.Equal(TrialStatus.Interrupted, result.Status);
    }

    [Fact]
    public async Task A_cancellation_nobody_asked_for_is_a_failure()
    {
        var result = await Execute((_, _) => throw new OperationCanceledException("timed out inside the trial"));

        Assert.Equal(TrialStatus.Failed, result.Status);
        Assert.Contains("timed out inside the trial", result.Error);
    }

    [Fact]
    public async Task Synchronous_trial_code_runs_off_the_callers_thread()
    {
        var caller = Environment.CurrentManagedThreadId;
        var trialThread = 0;
        await Execute((_, _) =>
        {
            trialThread = Environment.CurrentManagedThreadId;
            return Task.FromResult(TrialResult.Success());
        });
        Assert.NotEqual(caller, trialThread);
    }
}
