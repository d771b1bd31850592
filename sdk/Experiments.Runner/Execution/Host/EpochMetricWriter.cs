using System.Diagnostics;
using System.Threading.Channels;
using Experiments.Results;

namespace Experiments.Runner.Execution.Host;

/// <summary>
/// Writes per-epoch metrics to the store on one background task, so the store (a commit, or a wait on another
/// process's lock) never stalls the worker reporting them. Rows are written in batches, one transaction per attempt:
/// at each flush, which comes before a trial's outcome is recorded (so a completed trial always has its whole curve),
/// and, for trials that run long, once rows have waited <see cref="MaxDelay"/>, so their curves reach the store as
/// they go. Within an attempt, rows keep their arrival order (a value reported again replaces the earlier one).
/// </summary>
internal sealed class EpochMetricWriter : IAsyncDisposable
{
    /// <summary>How long a row may wait for a flush before it is written anyway.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(1);

    private readonly IResultStore _store;
    private readonly Action<string> _onError;
    private readonly Channel<Item> _items = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    // Owned by the loop: rows read from the queue and not written yet, per attempt, and when the oldest arrived.
    private readonly Dictionary<AttemptKey, List<EpochMetricValue>> _pending = new();
    private long _oldestPending;
    private CancellationTokenSource _timeout = new();

    public EpochMetricWriter(IResultStore store, Action<string> onError)
        : this(store, onError, DefaultMaxDelay)
    {
    }

    public EpochMetricWriter(IResultStore store, Action<string> onError, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxDelay, TimeSpan.Zero);
        _store = store;
        _onError = onError;
        MaxDelay = maxDelay;
        _loop = Task.Run(WriteAsync);
    }

    public TimeSpan MaxDelay { get; }

    public void Enqueue(string experiment, string trialId, int attempt, int epoch, string name, double value)
        => _items.Writer.TryWrite(new Item(new AttemptKey(experiment, trialId, attempt), new EpochMetricValue(epoch, name, value), null));

    /// <summary>Completes when every row enqueued before this call is in the store (or reported as not recorded).</summary>
    public Task FlushAsync()
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_items.Writer.TryWrite(new Item(default, default, flushed)))
        {
            flushed.TrySetResult();
        }
        return flushed.Task;
    }

    private async Task WriteAsync()
    {
        var reader = _items.Reader;
        while (await WaitAsync(reader).ConfigureAwait(false))
        {
            // Take everything queued so far: what arrives while a batch is written joins the next one.
            while (reader.TryRead(out var item))
            {
                if (item.Flushed is { } flushed)
                {
                    WritePending();
                    flushed.TrySetResult();
                    continue;
                }
                if (_pending.Count == 0)
                {
                    _oldestPending = Stopwatch.GetTimestamp();
                }
                if (!_pending.TryGetValue(item.Attempt, out var values))
                {
                    _pending.Add(item.Attempt, values = new List<EpochMetricValue>());
                }
                values.Add(item.Value);
            }
            if (_pending.Count > 0 && Stopwatch.GetElapsedTime(_oldestPending) >= MaxDelay)
            {
                WritePending();
            }
        }
        WritePending();
        _timeout.Dispose();
    }

    /// <summary>
    /// Waits for more to read: false once the queue is complete and empty; true also (with nothing to read) when
    /// pending rows have waited <see cref="MaxDelay"/>.
    /// </summary>
    private async ValueTask<bool> WaitAsync(ChannelReader<Item> reader)
    {
        if (_pending.Count == 0)
        {
            return await reader.WaitToReadAsync().ConfigureAwait(false);
        }
        var left = MaxDelay - Stopwatch.GetElapsedTime(_oldestPending);
        if (left <= TimeSpan.Zero)
        {
            return true;
        }
        if (!_timeout.TryReset())
        {
            _timeout.Dispose();
            _timeout = new CancellationTokenSource();
        }
        _timeout.CancelAfter(left);
        try
        {
            return await reader.WaitToReadAsync(_timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_timeout.IsCancellationRequested)
        {
            return true;
        }
    }

    private void WritePending()
    {
        foreach (var (attempt, values) in _pending)
        {
            try
            {
                _store.RecordEpochMetrics(attempt.Experiment, attempt.TrialId, attempt.Attempt, values);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Lost points of a curve are not worth a lost trial or a stopped sweep.
                _onError($"could not record {values.Count} epoch metric value(s) of {attempt.TrialId} (epochs " +
                    $"{values.Min(v => v.Epoch)}-{values.Max(v => v.Epoch)}): {e.Message}");
            }
        }
        _pending.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        _items.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private readonly record struct AttemptKey(string Experiment, string TrialId, int Attempt);

    private sealed record Item(AttemptKey Attempt, EpochMetricValue Value, TaskCompletionSource? Flushed);
}
