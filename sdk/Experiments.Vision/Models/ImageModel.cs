using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Models;

/// <summary>
/// A catalog model in its reference form: the network with its own classifier, its modules and parameters named
/// as in the reference implementation (timm, or torchvision for plain ResNet) so that a checkpoint of that
/// implementation loads by name. Built with <c>numClasses: 0</c> it has no classifier (timm's <c>num_classes=0</c>)
/// and is the body of a <see cref="VisionModel"/>.
/// </summary>
public abstract class ImageModel : nn.Module<Tensor, Tensor>
{
    protected ImageModel(string name, int numClasses, int inChannels) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numClasses);
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        NumClasses = numClasses;
        InChannels = inChannels;
    }

    /// <summary>Classes of the model's own classifier; 0 when it has none.</summary>
    public int NumClasses { get; }

    public int InChannels { get; }

    /// <summary>Channels (or, for a ViT, the embedding width) of <see cref="ForwardBody"/>'s output.</summary>
    public abstract int NumFeatures { get; }

    /// <summary>
    /// True when <see cref="ForwardBody"/> returns pooled features (B, <see cref="NumFeatures"/>) — a ViT's class
    /// token after its final norm — and false when it returns a spatial map (B, C, H, W) that a head must pool.
    /// </summary>
    public virtual bool BodyOutputIsPooled => false;

    /// <summary>
    /// State-dict key prefixes of the classifier (present only when <see cref="NumClasses"/> &gt; 0): what a
    /// checkpoint of the full model has that the body lacks.
    /// </summary>
    public abstract IReadOnlyList<string> ClassifierKeyPrefixes { get; }

    /// <summary>The features before the classifier, as fastai's <c>TimmBody</c> takes them from a timm model.</summary>
    public abstract Tensor ForwardBody(Tensor input);

    /// <summary>The reference model's own head on <see cref="ForwardBody"/>'s output (pooling, classifier).</summary>
    protected abstract Tensor ForwardHead(Tensor features);

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return ForwardHead(ForwardBody(input)).MoveToOuterDisposeScope();
    }

    /// <summary>Number of parameters (weights and biases; buffers such as BatchNorm statistics excluded).</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());
}
