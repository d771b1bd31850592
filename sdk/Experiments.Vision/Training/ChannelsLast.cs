using Experiments.Vision.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Training;

/// <summary>
/// Channels-last (NHWC) memory order for a model's convolution weights and its input batches. TorchSharp 0.107 has no
/// <c>memory_format</c> argument, so a tensor is permuted to NHWC, made contiguous and permuted back: the NCHW shape
/// with NHWC strides, which oneDNN's convolutions run in that order.
/// </summary>
public static class ChannelsLast
{
    /// <summary>What <see cref="LearnerOptions.ChannelsLast"/> null means: the catalog's preference for a vision model on the CPU.</summary>
    public static bool Preferred(nn.Module model, Device device) =>
        device.type == DeviceType.CPU && model is VisionModel vision && ModelCatalog.TryDescribe(vision.ModelName) is { ChannelsLastOnCpu: true };

    /// <summary>Puts every 4-d parameter of <paramref name="model"/> in channels-last order, in place (same values).</summary>
    public static void Apply(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var noGrad = no_grad();
        foreach (var parameter in model.parameters().Where(p => p.dim() == 4))
        {
            using var converted = Convert(parameter);
            parameter.set_(converted);
        }
    }

    /// <summary>A 4-d batch in channels-last order (a copy); other tensors as they are.</summary>
    public static Tensor Input(Tensor batch) => batch.dim() == 4 ? Convert(batch) : batch;

    private static Tensor Convert(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }
}
