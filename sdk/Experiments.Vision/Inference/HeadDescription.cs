using Experiments.Vision.Models;
using TorchSharp.Modules;

namespace Experiments.Vision.Inference;

/// <summary>The shape of a <see cref="VisionHead"/>, read back from the modules of a model's head.</summary>
internal sealed record HeadDescription(Pooling? Pooling, int HiddenSize, double Dropout, int NumClasses)
{
    /// <exception cref="ArgumentException">The head is not one <see cref="VisionHead.Create"/> builds.</exception>
    public static HeadDescription Read(VisionModel model)
    {
        Pooling? pooling = null;
        var linears = new List<Linear>();
        var dropouts = new List<Dropout>();
        foreach (var module in model.Head.children())
        {
            switch (module)
            {
                case AdaptiveConcatPool2d:
                    pooling = Models.Pooling.Concat;
                    break;
                case AdaptiveAvgPool2d:
                    pooling = Models.Pooling.Average;
                    break;
                case Linear linear:
                    linears.Add(linear);
                    break;
                case Dropout dropout:
                    dropouts.Add(dropout);
                    break;
            }
        }
        if (linears.Count != 2 || dropouts.Count != 2)
        {
            throw new ArgumentException(
                $"The head of this {model.ModelName} has {linears.Count} linear and {dropouts.Count} dropout layers; an export rebuilds the catalog's head "
                + "(two of each, see VisionHead.Create), so it cannot describe this one.", nameof(model));
        }
        return new HeadDescription(pooling, (int)linears[0].weight.shape[0], dropouts[1].p, (int)linears[1].weight.shape[0]);
    }
}
