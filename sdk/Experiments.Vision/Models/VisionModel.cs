using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Vision.Models;

// TorchSharp names a module's parameters, buffers and submodules after its fields, and those names are the state-dict
// keys (timm's, so that checkpoints and pretrained weights map one to one): module classes keep PyTorch's field names,
// not the repository's _camelCase.
#pragma warning disable IDE1006

/// <summary>
/// A catalog model as fastai's <c>vision_learner</c> builds it: <c>body</c> (the reference model without its
/// classifier, see <see cref="ImageModel"/>) and <c>head</c> (<see cref="VisionHead"/>). State-dict keys are
/// <c>body.…</c> (the reference names) and <c>head.N.…</c>. Two parameter groups, body and head, for discriminative
/// learning rates and freezing.
/// </summary>
public sealed class VisionModel : nn.Module<Tensor, Tensor>
{
    private readonly ImageModel body;
    private readonly Sequential head;

    public VisionModel(string modelName, ImageModel body, Sequential head) : base(nameof(VisionModel))
    {
        if (body.NumClasses != 0)
        {
            throw new ArgumentException("The body must be built without a classifier (numClasses: 0).", nameof(body));
        }
        ModelName = modelName;
        this.body = body;
        this.head = head;
        RegisterComponents();
    }

    /// <summary>The catalog name this model was created from.</summary>
    public string ModelName { get; }

    /// <summary>The reference model without its classifier.</summary>
    public ImageModel Body => body;

    /// <summary>The fastai-style head.</summary>
    public Sequential Head => head;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return head.call(body.ForwardBody(input)).MoveToOuterDisposeScope();
    }

    /// <summary>Parameters of the body (the first, lower-learning-rate group).</summary>
    public IReadOnlyList<Parameter> BodyParameters() => body.parameters().ToList();

    /// <summary>Parameters of the head (the second group).</summary>
    public IReadOnlyList<Parameter> HeadParameters() => head.parameters().ToList();

    /// <summary>
    /// Stops gradients for the body except its normalisation layers (BatchNorm, LayerNorm), which stay trainable
    /// as with fastai's <c>train_bn=True</c>; the head stays trainable.
    /// </summary>
    public void FreezeBody()
    {
        foreach (var parameter in body.parameters())
        {
            parameter.requires_grad = false;
        }
        foreach (var (_, module) in body.named_modules())
        {
            if (IsNorm(module))
            {
                foreach (var parameter in module.parameters(recurse: false))
                {
                    parameter.requires_grad = true;
                }
            }
        }
        foreach (var parameter in head.parameters())
        {
            parameter.requires_grad = true;
        }
    }

    /// <summary>Makes every parameter trainable again.</summary>
    public void Unfreeze()
    {
        foreach (var parameter in parameters())
        {
            parameter.requires_grad = true;
        }
    }

    private static bool IsNorm(nn.Module module) =>
        module is BatchNorm1d or BatchNorm2d or LayerNorm or LayerNorm2d or GroupNorm or InstanceNorm2d;
}
