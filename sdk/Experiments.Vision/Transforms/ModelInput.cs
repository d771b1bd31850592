using Experiments.Vision.Data;
using Experiments.Vision.Training;
using static TorchSharp.torch;

namespace Experiments.Vision.Transforms;

/// <summary>
/// A loader's batch on its way into the model, the same for training, validation and prediction: bytes → float [0, 1]
/// on the device, the batch augmentation (training, TTA), normalisation, then the model's channel count and memory order.
/// </summary>
/// <remarks>
/// A grey batch (one channel) for a model with a 3-channel stem (pretrained weights) becomes 3 channels only at
/// normalisation, exactly as if the grey images had been converted to RGB when decoded (fastai's loader does): the
/// augmentation treats every channel alike — one warp and one lighting change per image — so the decoding, the item
/// transform, the transfer and the augmentation all work on a third of the data.
/// </remarks>
internal static class ModelInput
{
    /// <param name="batch">Bytes from the loader.</param>
    /// <param name="device">Where the model is.</param>
    /// <param name="augmentation">Applied with fresh draws (training, TTA passes); null for none.</param>
    /// <param name="normalization">Per-channel statistics; statistics for 3 channels turn a grey batch into 3 channels.</param>
    /// <param name="channels">The model's input channels when known: a grey batch becomes that many.</param>
    /// <param name="channelsLast">The result in channels-last memory order (<see cref="ChannelsLast.Input"/>).</param>
    /// <exception cref="ArgumentException">The normalisation's channels fit neither the batch nor the model.</exception>
    public static Tensor Prepare(ImageBatch batch, Device device, BatchAugmentation? augmentation, Normalization? normalization, int? channels, bool channelsLast)
    {
        if (normalization is not null && channels is int c && normalization.Mean.Count is not 1 && normalization.Mean.Count != c)
        {
            throw new ArgumentException($"The normalisation has statistics for {normalization.Mean.Count} channels, the model takes {c}.", nameof(normalization));
        }
        using var scope = NewDisposeScope();
        var images = batch.ImagesToTensor(device);
        if (augmentation is not null)
        {
            images = augmentation.Apply(images, training: true);
        }
        if (normalization is not null)
        {
            images = normalization.Normalize(images);
        }
        if (channels is int wanted && wanted > 1 && images.shape[1] == 1)
        {
            images = images.expand(-1, wanted, -1, -1);
        }
        if (channelsLast)
        {
            images = ChannelsLast.Input(images);
        }
        return images.MoveToOuterDisposeScope();
    }
}
