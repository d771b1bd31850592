using System.Threading.Channels;
using Experiments.Results;

namespace Experiments.Running.Execution;

/// <summary>
/// Writes per-epoch metrics to the store in arrival order on one background task, so a store that commits each row
/// (or waits on another process's lock) never stalls the worker reporting them. A trial's rows are flushed before
/// its outcome is recorded, so a completed trial always has its whole curve.
/// </summary>
internal sealed class EpochMetricWriter : IAsyncDisposable
{
    private readonly IResultStore _store;
    private readonly Action<string> _onError;
    private readonly Channel<Row> _rows = Channel.CreateUnbounded<Row>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public EpochMetricWriter(IResultStore store, Action<string> onError)
    {
        _store = store;
        _onError = onError;
        _loop = Task.Run(WriteAsync);
    }

    public void Enqueue(string experiment, string trialId, int attempt, int epoch, string name, double value)
        => _rows.Writer.TryWrite(new Row(experiment, trialId, attempt, epoch, name, value, null));

    /// <summary>Completes when every row enqueued before this call is in the store.</summary>
    public Task FlushAsync()
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_rows.Writer.TryWrite(new Row(string.Empty, string.Empty, 0, 0, string.Empty, 0, flushed)))
        {
            flushed.TrySetResult();
        }
        return flushed.Task;
    }

    private async Task WriteAsync()
    {
        await foreach (var row in _rows.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (row.Flushed is { } flushed)
            {
                flushed.TrySetResult();
                continue;
            }
            try
            {
                _store.RecordEpochMetric(row.Experiment, row.TrialId, row.Attempt, row.Epoch, row.Name, row.Value);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A lost point of a curve is not worth a lost trial or a stopped sweep.
                _onError($"could not record epoch {row.Epoch} {row.Name} of {row.TrialId}: {e.Message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _rows.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private sealed record Row(string Experiment, string TrialId, int Attempt, int Epoch, string Name, double Value, TaskCompletionSource? Flushed);
}
