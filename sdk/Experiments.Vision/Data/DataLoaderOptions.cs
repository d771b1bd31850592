namespace Experiments.Vision.Data;

/// <summary>How an <see cref="ImageDataLoader"/> batches, orders, decodes and prefetches.</summary>
public sealed record DataLoaderOptions
{
    /// <summary>Items per batch (default 64, fastai's default).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>
    /// True for training: a new order every epoch (reproducible from <see cref="Seed"/>), the last incomplete batch
    /// dropped, and the item transform told it is training (random crops). False (default) for validation: dataset
    /// order, every item, centre crops.
    /// </summary>
    public bool Training { get; init; }

    /// <summary>Drop the last batch when it is smaller than <see cref="BatchSize"/>; default: same as <see cref="Training"/>.</summary>
    public bool? DropLast { get; init; }

    /// <summary>Seed for the epoch orders and the item transforms' random draws; null draws one per loader (see <see cref="ImageDataLoader.Seed"/>).</summary>
    public int? Seed { get; init; }

    /// <summary>Applied to every decoded image on the decoding threads (resize, crop, pad); null keeps images as decoded.</summary>
    public IItemTransform? ItemTransform { get; init; }

    /// <summary>Threads decoding one batch at a time (default: processor count).</summary>
    public int DecodeThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Decoded batches waiting for the consumer (default 2). Memory stays bounded: at most this many batches wait,
    /// plus the one being decoded and the one the consumer holds.
    /// </summary>
    public int PrefetchBatches { get; init; } = 2;

    /// <summary>
    /// Run the loader's own thread (the producer, which decodes alone with one decode thread) at the lowest scheduling
    /// priority on Linux (default true), so that it takes the cores the training leaves rather than pushing one of
    /// libtorch's threads off its core, which stalls the whole parallel operation it is in. Measured with
    /// regnety_002 at 32 px on 2 cores: 1.06× the images/s of two decoding threads at normal priority.
    /// </summary>
    public bool LowPriority { get; init; } = true;

    /// <summary>
    /// Bytes of item-transformed images the loader keeps for later epochs (default 256 MiB; 0 keeps none). Only items
    /// whose transform leaves no random choice are kept (<see cref="IItemTransform.IsDeterministicFor"/>: validation
    /// crops, squish, a crop whose region is the whole image), so a kept item is exactly what decoding and transforming
    /// it again would give; later epochs copy it instead of decoding it. Items are kept in the order they are first
    /// met until the budget is spent.
    /// </summary>
    public long CacheBytes { get; init; } = 256L << 20;

    /// <summary>
    /// Leave out items whose file is unreadable or corrupt (<see cref="DataFileException"/>) and count them in
    /// <see cref="ImageDataLoader.Skipped"/>, instead of stopping with an error naming the file (default).
    /// A batch with skipped items is smaller.
    /// </summary>
    public bool SkipUnreadable { get; init; }
}
