using System.Collections.Concurrent;
using Experiments.Results;
using Experiments.Runner.Execution.Host;

namespace Experiments.Runner.Tests.Execution;

/// <summary>How the host batches per-epoch metrics into the store (with a store that records the calls).</summary>
public class EpochMetricWriterTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    private readonly RecordingStore _store = new();
    private readonly ConcurrentQueue<string> _errors = new();

    [Fact]
    public async Task A_flush_writes_each_attempts_rows_as_one_batch_in_arrival_order()
    {
        await using var writer = new EpochMetricWriter(_store, _errors.Enqueue, Long);
        for (var epoch = 0; epoch < 100; epoch++)
        {
            writer.Enqueue("Exp", "a#1", 1, epoch, "train_loss", epoch);
            writer.Enqueue("Exp", "b#1", 2, epoch, "train_loss", -epoch);
            writer.Enqueue("Exp", "a#1", 1, epoch, "valid_loss", epoch + 0.5);
        }

        await writer.FlushAsync();

        var batches = _store.Batches.ToArray();
        Assert.Equal(2, batches.Length);
        var a = batches.Single(b => b.TrialId == "a#1");
        Assert.Equal(("Exp", 1, 200), (a.Experiment, a.Attempt, a.Values.Count));
        Assert.Equal(new EpochMetricValue(0, "train_loss", 0), a.Values[0]);
        Assert.Equal(new EpochMetricValue(0, "valid_loss", 0.5), a.Values[1]);
        Assert.Equal(new EpochMetricValue(99, "valid_loss", 99.5), a.Values[^1]);
        var b = batches.Single(b => b.TrialId == "b#1");
        Assert.Equal((2, 100), (b.Attempt, b.Values.Count));
        Assert.Equal(Enumerable.Range(0, 100), b.Values.Select(v => v.Epoch));
        Assert.Empty(_errors);
    }

    [Fact]
    public async Task Each_flush_writes_only_what_came_since_the_last_one()
    {
        await using var writer = new EpochMetricWriter(_store, _errors.Enqueue, Long);
        writer.Enqueue("Exp", "a#1", 1, 0, "train_loss", 1);
        await writer.FlushAsync();
        await writer.FlushAsync();
        writer.Enqueue("Exp", "a#1", 1, 1, "train_loss", 2);
        writer.Enqueue("Exp", "a#1", 1, 2, "train_loss", 3);
        await writer.FlushAsync();

        Assert.Equal([[0], [1, 2]], _store.Batches.Select(b => b.Values.Select(v => v.Epoch).ToArray()).ToArray());
    }

    [Fact]
    public async Task Rows_of_a_long_trial_reach_the_store_without_a_flush()
    {
        await using var writer = new EpochMetricWriter(_store, _errors.Enqueue, TimeSpan.FromMilliseconds(50));
        writer.Enqueue("Exp", "a#1", 1, 0, "train_loss", 1);
        writer.Enqueue("Exp", "a#1", 1, 1, "train_loss", 2);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_store.Batches.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(2, Assert.Single(_store.Batches).Values.Count);
    }

    [Fact]
    public async Task A_batch_the_store_refuses_is_reported_and_the_others_are_written()
    {
        _store.Refuse = "bad#1";
        await using var writer = new EpochMetricWriter(_store, _errors.Enqueue, Long);
        writer.Enqueue("Exp", "bad#1", 1, 3, "train_loss", 1);
        writer.Enqueue("Exp", "bad#1", 1, 4, "train_loss", 1);
        writer.Enqueue("Exp", "good#1", 1, 0, "train_loss", 1);

        await writer.FlushAsync();

        Assert.Equal("good#1", Assert.Single(_store.Batches).TrialId);
        var error = Assert.Single(_errors);
        Assert.Contains("bad#1", error);
        Assert.Contains("epochs 3-4", error);
        Assert.Contains("disk full", error);
    }

    [Fact]
    public async Task Disposing_writes_what_is_left()
    {
        var writer = new EpochMetricWriter(_store, _errors.Enqueue, Long);
        writer.Enqueue("Exp", "a#1", 1, 0, "train_loss", 1);

        await writer.DisposeAsync();

        Assert.Single(_store.Batches);
        Assert.True(writer.FlushAsync().IsCompletedSuccessfully);
    }

    private sealed record Batch(string Experiment, string TrialId, int Attempt, IReadOnlyList<EpochMetricValue> Values);

    /// <summary>Records epoch-metric batches; everything else is not used by the writer.</summary>
    private sealed class RecordingStore : IResultStore
    {
        public ConcurrentQueue<Batch> Batches { get; } = new();

        public string? Refuse { get; set; }

        public void RecordEpochMetrics(string experiment, string trialId, int attempt, IReadOnlyList<EpochMetricValue> values)
        {
            if (trialId == Refuse)
            {
                throw new InvalidOperationException("disk full");
            }
            // A copy: the writer may reuse its buffers.
            Batches.Enqueue(new Batch(experiment, trialId, attempt, values.ToArray()));
        }

        public void RecordEpochMetric(string experiment, string trialId, int attempt, int epoch, string name, double value)
            => throw new InvalidOperationException("rows are written in batches");

        public void Register(ExperimentInfo experiment, IEnumerable<PlannedTrial> trials) => throw new NotSupportedException();

        public IReadOnlyList<string> Promote(string experiment, Func<IReadOnlyList<TrialRecord>, IReadOnlyList<PlannedTrial>> decide)
            => throw new NotSupportedException();

        public int? TryClaim(string experiment, string trialId, WorkerIdentity worker, DateTimeOffset sweepStart, bool rerunPassed, TimeSpan staleAfter)
            => throw new NotSupportedException();

        public void Heartbeat(string experiment, IReadOnlyCollection<string> trialIds, WorkerIdentity worker) => throw new NotSupportedException();

        public bool Complete(string experiment, string trialId, int attempt, WorkerIdentity worker, TrialOutcome outcome)
            => throw new NotSupportedException();

        public bool Unclaim(string experiment, string trialId, int attempt, WorkerIdentity worker) => throw new NotSupportedException();

        public int ReleaseAbandoned(Func<WorkerIdentity, bool> isAlive) => throw new NotSupportedException();

        public IReadOnlyList<string> GetExperimentNames() => throw new NotSupportedException();

        public ExperimentInfo? GetExperiment(string name) => throw new NotSupportedException();

        public IReadOnlyList<TrialRecord> GetTrials(string experiment) => throw new NotSupportedException();

        public IReadOnlyList<EpochMetric> GetEpochMetrics(string experiment) => throw new NotSupportedException();

        public IReadOnlyDictionary<string, int> GetAttemptCounts(string experiment) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
