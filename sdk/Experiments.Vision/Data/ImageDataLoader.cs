using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Experiments.Vision.Data;

/// <summary>
/// Turns a dataset into batches, decoding ahead of the consumer: a background producer decodes and item-transforms
/// each batch on <see cref="DataLoaderOptions.DecodeThreads"/> threads and queues up to
/// <see cref="DataLoaderOptions.PrefetchBatches"/> finished batches in a bounded channel, so training never waits for
/// decoding while memory stays bounded.
/// </summary>
/// <remarks>
/// Everything is reproducible from <see cref="Seed"/>: the order of epoch e (<see cref="EpochOrder"/>) and the random
/// source each item transform gets, which is seeded from (seed, epoch, dataset index) — not from thread timing.
/// Batches come out in order. An unreadable image stops the epoch with the <see cref="DataFileException"/> naming the
/// file (at the batch that holds it), or is skipped and counted with <see cref="DataLoaderOptions.SkipUnreadable"/>.
/// Items whose transform draws nothing (validation crops, squish, a crop whose region is the whole image) are kept after
/// their first epoch, up to <see cref="DataLoaderOptions.CacheBytes"/>, and later epochs copy them instead of decoding
/// and transforming them again (<see cref="Kept"/>).
/// For TorchSharp training loops use <see cref="Batches"/> (synchronous: the loop, and its
/// <c>DisposeScope</c>s, stay on one thread); <see cref="BatchesAsync"/> is the same stream for async code.
/// </remarks>
public sealed class ImageDataLoader
{
    private const long OrderStream = 1;
    private const long TransformStream = 2;

    private readonly ConcurrentDictionary<string, byte> _skipped = new(StringComparer.Ordinal);
    private readonly BatchBufferPool _buffers;
    private readonly KeptItem?[]? _cache;
    private long _keptBytes;
    private int _keptCount;

    public ImageDataLoader(IImageDataset dataset, DataLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new DataLoaderOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options.BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DecodeThreads, 1, nameof(options.DecodeThreads));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PrefetchBatches, 1, nameof(options.PrefetchBatches));
        ArgumentOutOfRangeException.ThrowIfNegative(options.CacheBytes, nameof(options.CacheBytes));
        Dataset = dataset;
        Options = options;
        Seed = options.Seed ?? Seeds.Fresh();
        // Enough for the batches in flight: waiting in the channel, being built, held by the consumer.
        _buffers = new BatchBufferPool(options.PrefetchBatches + 2);
        _cache = options.CacheBytes > 0 && options.ItemTransform is not null ? new KeptItem?[dataset.Count] : null;
    }

    public IImageDataset Dataset { get; }

    public DataLoaderOptions Options { get; }

    /// <summary>The seed in use: <see cref="DataLoaderOptions.Seed"/>, or the one drawn for this loader.</summary>
    public int Seed { get; }

    /// <summary>Batches per epoch (before any skipped item).</summary>
    public int BatchCount => DropLast ? Dataset.Count / Options.BatchSize : (Dataset.Count + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>Distinct items left out so far because their file was unreadable (with <see cref="DataLoaderOptions.SkipUnreadable"/>).</summary>
    public int SkippedCount => _skipped.Count;

    /// <summary>Items kept after their first epoch (<see cref="DataLoaderOptions.CacheBytes"/>), and their bytes.</summary>
    public (int Items, long Bytes) Kept => (Volatile.Read(ref _keptCount), Interlocked.Read(ref _keptBytes));

    /// <summary>The files behind <see cref="SkippedCount"/>, as <see cref="IImageDataset.Describe"/> names them, in ordinal order.</summary>
    public IReadOnlyList<string> Skipped => [.. _skipped.Keys.Order(StringComparer.Ordinal)];

    private bool DropLast => Options.DropLast ?? Options.Training;

    /// <summary>The order in which epoch <paramref name="epoch"/> visits the dataset: shuffled by (seed, epoch) when training, else 0..Count-1.</summary>
    public int[] EpochOrder(int epoch)
    {
        if (!Options.Training)
        {
            return [.. Enumerable.Range(0, Dataset.Count)];
        }
        return Seeds.Permutation(Dataset.Count, new Random(Seeds.Mix(Seed, OrderStream, epoch)));
    }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/>, decoded in the background while the caller works on the previous
    /// ones. Leaving the loop early (or cancelling) stops the background work before this returns.
    /// </summary>
    /// <exception cref="DataFileException">An item's file is unreadable (unless skipping).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IEnumerable<ImageBatch> Batches(int epoch = 0, CancellationToken cancellationToken = default)
    {
        // Synchronous hand-over: the blocked reader is woken by the producer thread itself, so neither side
        // waits for a thread-pool thread (a busy or small pool would otherwise stall every batch).
        using var run = Start(epoch, synchronousReader: true, cancellationToken);
        while (true)
        {
            if (run.Reader.TryRead(out var batch))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return batch;
                continue;
            }
            if (!run.Reader.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
            {
                break;
            }
        }
        run.ThrowIfFailed();
    }

    /// <inheritdoc cref="Batches"/>
    public async IAsyncEnumerable<ImageBatch> BatchesAsync(int epoch = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var run = Start(epoch, synchronousReader: false, cancellationToken);
        while (await run.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (run.Reader.TryRead(out var batch))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return batch;
            }
        }
        run.ThrowIfFailed();
    }

    private EpochRun Start(int epoch, bool synchronousReader, CancellationToken cancellationToken)
    {
        var order = EpochOrder(epoch);
        var channel = Channel.CreateBounded<ImageBatch>(new BoundedChannelOptions(Options.PrefetchBatches)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
            // For a synchronous reader, continuations only complete its wait; an async reader's loop body must not run on the producer.
            AllowSynchronousContinuations = synchronousReader,
        });
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Factory.StartNew(
            () => Produce(order, epoch, channel.Writer, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return new EpochRun(channel.Reader, producer, stop);
    }

    /// <summary>Runs on its own thread: builds the batches in order and blocks while the channel is full.</summary>
    private void Produce(int[] order, int epoch, ChannelWriter<ImageBatch> writer, CancellationToken cancellationToken)
    {
        if (Options.LowPriority)
        {
            ThreadNice.TrySetCurrent(19);
        }
        try
        {
            int size = Options.BatchSize;
            int count = BatchCount;
            for (int b = 0; b < count; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var indices = order.AsSpan(b * size, Math.Min(size, order.Length - (b * size))).ToArray();
                if (Build(indices, epoch, b, cancellationToken) is not { } batch)
                {
                    continue;
                }
                while (!writer.TryWrite(batch))
                {
                    if (!writer.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            writer.TryComplete();
        }
    }

    /// <summary>
    /// <c>Parallel.For</c>, or a plain loop on this thread with one decode thread: forking and joining thread-pool work
    /// twice per batch costs more than it saves for cheap in-memory items, and far more on a loaded machine.
    /// </summary>
    private static void ForEach(int count, ParallelOptions parallel, Action<int> body)
    {
        if (parallel.MaxDegreeOfParallelism == 1)
        {
            for (int i = 0; i < count; i++)
            {
                parallel.CancellationToken.ThrowIfCancellationRequested();
                body(i);
            }
            return;
        }
        Parallel.For(0, count, parallel, body);
    }

    /// <summary>Decodes and transforms one batch in parallel and lays it out as NCHW; null when every item was skipped.</summary>
    private ImageBatch? Build(int[] indices, int epoch, int number, CancellationToken cancellationToken)
    {
        var images = new ImageData[indices.Length];
        var labels = new int[indices.Length][];
        var failures = new DataFileException?[indices.Length];
        var transform = Options.ItemTransform;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.DecodeThreads, CancellationToken = cancellationToken };
        try
        {
            ForEach(indices.Length, parallel, k =>
            {
                int index = indices[k];
                if (_cache is not null && Volatile.Read(ref _cache[index]) is { } item)
                {
                    images[k] = item.Image;
                    labels[k] = item.Labels;
                    return;
                }
                try
                {
                    var sample = Dataset.Get(index);
                    var image = sample.Image;
                    if (transform is not null)
                    {
                        image = transform.Apply(image, new Random(Seeds.Mix(Seed, TransformStream, epoch, index)), Options.Training);
                        if (_cache is not null && transform.IsDeterministicFor(sample.Image.Width, sample.Image.Height, Options.Training))
                        {
                            Keep(index, image, sample.Labels);
                        }
                    }
                    images[k] = image;
                    labels[k] = sample.Labels;
                }
                catch (DataFileException ex)
                {
                    failures[k] = ex;
                }
            });
        }
        catch (AggregateException ex)
        {
            // A dataset or transform bug: rethrow the first one as itself, not wrapped.
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }

        var kept = new List<int>(indices.Length);
        for (int k = 0; k < indices.Length; k++)
        {
            if (failures[k] is not { } failure)
            {
                kept.Add(k);
            }
            else if (Options.SkipUnreadable)
            {
                _skipped.TryAdd(Dataset.Describe(indices[k]), 0);
            }
            else
            {
                // The first unreadable item in batch order, whatever thread met it first.
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }
        if (kept.Count == 0)
        {
            return null;
        }
        return Collate(epoch, number, [.. kept.Select(k => indices[k])], [.. kept.Select(k => images[k])], [.. kept.Select(k => labels[k])]);
    }

    /// <summary>Keeps a transformed item while the budget allows (the batch only copies its pixels, so it can be shared).</summary>
    private void Keep(int index, ImageData image, int[] labels)
    {
        long size = image.Pixels.Length;
        if (Interlocked.Add(ref _keptBytes, size) > Options.CacheBytes)
        {
            Interlocked.Add(ref _keptBytes, -size);
            return;
        }
        if (Interlocked.CompareExchange(ref _cache![index], new KeptItem(image, labels), null) is null)
        {
            Interlocked.Increment(ref _keptCount);
        }
        else
        {
            Interlocked.Add(ref _keptBytes, -size);
        }
    }

    private ImageBatch Collate(int epoch, int number, int[] indices, ImageData[] images, int[][] labels)
    {
        var first = images[0];
        for (int k = 1; k < images.Length; k++)
        {
            var image = images[k];
            if (image.Width != first.Width || image.Height != first.Height || image.Channels != first.Channels)
            {
                throw new InvalidOperationException(
                    $"Images of one batch must have the same size: {Dataset.Describe(indices[k])} is {image}, {Dataset.Describe(indices[0])} is {first}. "
                    + "Give the loader an item transform that resizes every image to one size.");
            }
        }

        int channels = first.Channels, height = first.Height, width = first.Width;
        int plane = height * width;
        int imageBytes = plane * channels;
        var pixels = _buffers.Rent(checked(images.Length * imageBytes));
        ForEach(images.Length, new ParallelOptions { MaxDegreeOfParallelism = Options.DecodeThreads }, n =>
        {
            var source = images[n].Pixels;
            var target = pixels.AsSpan(n * imageBytes, imageBytes);
            if (channels == 1)
            {
                source.CopyTo(target);
                return;
            }
            // HWC → CHW.
            for (int c = 0; c < channels; c++)
            {
                var channel = target.Slice(c * plane, plane);
                for (int p = 0, s = c; p < plane; p++, s += channels)
                {
                    channel[p] = source[s];
                }
            }
        });
        return new ImageBatch(epoch, number, indices, labels, pixels, channels, height, width, Dataset.Classes.Count, Dataset.IsMultiLabel, _buffers);
    }

    /// <summary>An item's transformed image and labels, kept for later epochs.</summary>
    private sealed record KeptItem(ImageData Image, int[] Labels);

    /// <summary>One epoch's producer and channel; disposing stops the producer and waits for it.</summary>
    private sealed class EpochRun(ChannelReader<ImageBatch> reader, Task producer, CancellationTokenSource stop) : IDisposable, IAsyncDisposable
    {
        public ChannelReader<ImageBatch> Reader => reader;

        /// <summary>After the channel has closed: rethrows what stopped the producer, as it was thrown.</summary>
        public void ThrowIfFailed() => producer.GetAwaiter().GetResult();

        public void Dispose()
        {
            stop.Cancel();
            try
            {
                producer.Wait();
            }
            catch (AggregateException)
            {
                // Surfaced by ThrowIfFailed, or moot: the consumer left early or was cancelled.
            }
            stop.Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // As in Dispose.
            }
            stop.Dispose();
        }
    }
}
