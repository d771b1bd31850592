using System.Collections.Concurrent;

namespace Experiments.Vision.Data;

/// <summary>
/// The pixel arrays of disposed batches, kept for the next batches of the same size. A batch buffer is usually over
/// 85 KB, so it lives on the large-object heap, which only a full GC collects: without reuse a long fit leaves a trail
/// of dead buffers and the process grows until one runs.
/// </summary>
internal sealed class BatchBufferPool(int capacity)
{
    private readonly ConcurrentQueue<byte[]> _free = new();

    /// <summary>An array of exactly <paramref name="length"/> bytes, reused when one is free (contents undefined).</summary>
    public byte[] Rent(int length)
    {
        while (_free.TryDequeue(out var buffer))
        {
            if (buffer.Length == length)
            {
                return buffer;
            }
            // Another size (the last, shorter batch of an epoch): left to the GC.
        }
        return GC.AllocateUninitializedArray<byte>(length);
    }

    public void Return(byte[] buffer)
    {
        if (_free.Count < capacity)
        {
            _free.Enqueue(buffer);
        }
    }
}
