using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Data;

/// <summary>
/// A batch of decoded, item-transformed images on the CPU, in <b>NCHW</b> bytes (the layout of the model input), with
/// their labels. <see cref="ImagesToTensor"/> and <see cref="TargetsToTensor"/> make the tensors; bytes travel to the
/// device and become floats there, as fastai's <c>IntToFloatTensor</c> does (a quarter of the transfer).
/// </summary>
/// <remarks>
/// Disposing a batch hands its pixel array back to the loader for a later batch (the <c>Learner</c> does, once
/// the tensors are made), so a long fit allocates no new batch buffers; after that <see cref="Pixels"/> throws.
/// A batch that is never disposed is simply collected.
/// </remarks>
public sealed class ImageBatch : IDisposable
{
    private readonly BatchBufferPool? _pool;
    private byte[]? _pixels;

    internal ImageBatch(int epoch, int number, int[] indices, int[][] labels, byte[] pixels, int channels, int height, int width, int classCount, bool multiLabel,
        BatchBufferPool? pool = null)
    {
        _pool = pool;
        _pixels = pixels;
        Epoch = epoch;
        Number = number;
        Indices = indices;
        Labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        ClassCount = classCount;
        IsMultiLabel = multiLabel;
    }

    /// <summary>The epoch this batch belongs to.</summary>
    public int Epoch { get; }

    /// <summary>Position of this batch in its epoch, from 0.</summary>
    public int Number { get; }

    /// <summary>Number of images.</summary>
    public int Count => Indices.Length;

    /// <summary>The dataset index of every image, in batch order.</summary>
    public int[] Indices { get; }

    /// <summary>The label indices of every image (see <see cref="ImageSample.Labels"/>).</summary>
    public int[][] Labels { get; }

    /// <summary>NCHW bytes: <c>Pixels[((n * Channels + c) * Height + y) * Width + x]</c>.</summary>
    /// <exception cref="ObjectDisposedException">The batch was disposed (its array may hold another batch by now).</exception>
    public byte[] Pixels => _pixels ?? throw new ObjectDisposedException(nameof(ImageBatch), $"{this} was disposed; its pixels went back to the loader.");

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>Number of classes of the dataset (the width of multi-hot targets).</summary>
    public int ClassCount { get; }

    public bool IsMultiLabel { get; }

    /// <summary>
    /// The images as a float32 tensor of shape [N, C, H, W] with values in [0, 1], on <paramref name="device"/>
    /// (default CPU). The result belongs to the caller's <see cref="DisposeScope"/> (if any); intermediates are disposed.
    /// </summary>
    public Tensor ImagesToTensor(Device? device = null)
    {
        using var scope = NewDisposeScope();
        var bytes = tensor(Pixels, [Count, Channels, Height, Width], ScalarType.Byte);
        var onDevice = device is null || device.type == DeviceType.CPU ? bytes : bytes.to(device);
        var images = onDevice.to_type(ScalarType.Float32).div_(255f);
        return images.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The targets on <paramref name="device"/> (default CPU): int64 class indices of shape [N] for single-label data
    /// (for cross-entropy), float32 multi-hot of shape [N, classes] for multi-label data (for binary cross-entropy).
    /// </summary>
    public Tensor TargetsToTensor(Device? device = null)
    {
        using var scope = NewDisposeScope();
        Tensor targets;
        if (IsMultiLabel)
        {
            var multiHot = new float[Count * ClassCount];
            for (int n = 0; n < Count; n++)
            {
                foreach (int label in Labels[n])
                {
                    multiHot[(n * ClassCount) + label] = 1f;
                }
            }
            targets = tensor(multiHot, [Count, ClassCount], ScalarType.Float32);
        }
        else
        {
            var classes = new long[Count];
            for (int n = 0; n < Count; n++)
            {
                classes[n] = Labels[n] is [var label]
                    ? label
                    : throw new InvalidOperationException($"Item {Indices[n]} has {Labels[n].Length} labels in a single-label batch.");
            }
            targets = tensor(classes, [Count], ScalarType.Int64);
        }
        if (device is not null && device.type != DeviceType.CPU)
        {
            targets = targets.to(device);
        }
        return targets.MoveToOuterDisposeScope();
    }

    /// <summary>Both tensors: <see cref="ImagesToTensor"/> and <see cref="TargetsToTensor"/>.</summary>
    public (Tensor Images, Tensor Targets) ToTensors(Device? device = null) => (ImagesToTensor(device), TargetsToTensor(device));

    /// <summary>Hands the pixel array back to the loader that made this batch; <see cref="Pixels"/> throws afterwards.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _pixels, null) is { } buffer)
        {
            _pool?.Return(buffer);
        }
    }

    public override string ToString() => $"batch {Number} of epoch {Epoch}: {Count}×{Channels}×{Height}×{Width}";
}
