using Experiments.Vision.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Vision.Training;

/// <summary>A named group of parameters that share a learning rate (fastai's <c>param_groups</c> from a splitter).</summary>
/// <param name="Name">e.g. "body", "head".</param>
/// <param name="Parameters">The group's parameters, by their state-dict names.</param>
public sealed record ParameterGroup(string Name, IReadOnlyList<(string Name, Parameter Parameter)> Parameters);

/// <summary>How a model's parameters are grouped and which of them get weight decay.</summary>
public static class ParameterGroups
{
    /// <summary>
    /// fastai's groups for a model: body then head for a <see cref="VisionModel"/> (its splitter), otherwise one
    /// group "all".
    /// </summary>
    public static IReadOnlyList<ParameterGroup> Of(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var named = model.named_parameters().ToList();
        if (model is VisionModel)
        {
            return
            [
                new ParameterGroup("body", named.Where(p => p.name.StartsWith("body.", StringComparison.Ordinal)).ToList()),
                new ParameterGroup("head", named.Where(p => p.name.StartsWith("head.", StringComparison.Ordinal)).ToList()),
            ];
        }
        return [new ParameterGroup("all", named)];
    }

    /// <summary>
    /// Names of the parameters that get no weight decay (fastai's <c>wd_bn_bias=False</c>, <c>norm_bias_params</c>):
    /// every parameter of a normalisation layer and every parameter called <c>bias</c>.
    /// </summary>
    /// <remarks>fastai's norm types are BatchNorm, InstanceNorm and LayerNorm (timm's <c>LayerNorm2d</c> is a LayerNorm);
    /// GroupNorm is added here, matching <see cref="VisionModel.FreezeBody"/> (no catalog model has one).</remarks>
    public static HashSet<string> NoWeightDecay(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (prefix, module) in model.named_modules())
        {
            if (!IsNorm(module))
            {
                continue;
            }
            foreach (var (local, _) in module.named_parameters(recurse: false))
            {
                names.Add(prefix.Length == 0 ? local : prefix + "." + local);
            }
        }
        foreach (var (name, _) in model.named_parameters())
        {
            if (name == "bias" || name.EndsWith(".bias", StringComparison.Ordinal))
            {
                names.Add(name);
            }
        }
        return names;
    }

    /// <summary>Normalisation layers: trainable while the body is frozen, and never weight-decayed.</summary>
    public static bool IsNorm(nn.Module module) =>
        module is BatchNorm1d or BatchNorm2d or BatchNorm3d or LayerNorm or LayerNorm2d or GroupNorm
            or InstanceNorm1d or InstanceNorm2d or InstanceNorm3d;
}
