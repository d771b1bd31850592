using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Experiments.Vision.Models;

/// <summary>How the head pools a spatial feature map.</summary>
public enum Pooling
{
    /// <summary>Global average pooling (fastai <c>concat_pool=False</c>): features = channels.</summary>
    Average,

    /// <summary>fastai's <c>AdaptiveConcatPool2d</c>, max then average (the default): features = 2 × channels.</summary>
    Concat,
}

/// <summary>Options of <see cref="ModelCatalog.Create"/>: the fastai-style head.</summary>
public sealed record ModelOptions
{
    public static ModelOptions Default { get; } = new();

    /// <summary>Pooling of a spatial body output (ignored for bodies that already pool, such as a ViT).</summary>
    public Pooling Pooling { get; init; } = Pooling.Concat;

    /// <summary>Width of the hidden layer (fastai <c>lin_ftrs=[512]</c>).</summary>
    public int HiddenSize { get; init; } = 512;

    /// <summary>fastai's <c>ps</c>: the last dropout; the first is half of it (0.25, 0.5 by default).</summary>
    public double Dropout { get; init; } = 0.5;
}

/// <summary>
/// fastai's <c>create_head</c> with its defaults (<c>first_bn=True</c>, <c>bn_final=False</c>, <c>lin_first=False</c>), as a
/// <c>Sequential</c> whose indices match fastai's: [pool, flatten,] BatchNorm1d(nf), Dropout(ps/2),
/// Linear(nf, hidden, no bias), ReLU, BatchNorm1d(hidden), Dropout(ps), Linear(hidden, classes, no bias). Each Linear
/// follows a BatchNorm, so none has a bias. BatchNorm weights start at 1 and biases at 1e-3, Linear weights
/// Kaiming-normal (fastai's <c>apply_init</c> on the head).
/// </summary>
public static class VisionHead
{
    /// <summary>Creates the head for a body with <paramref name="features"/> output channels.</summary>
    /// <param name="features">Channels of a spatial body output, or width of a pooled one.</param>
    /// <param name="numClasses">Outputs of the last layer.</param>
    /// <param name="pool">Whether the body output is spatial and must be pooled (false for a ViT).</param>
    /// <param name="options">Pooling, hidden width and dropout.</param>
    public static Sequential Create(int features, int numClasses, bool pool, ModelOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        options ??= ModelOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HiddenSize, 1);
        if (options.Dropout is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Dropout, "Dropout must be in [0, 1].");
        }

        var head = Sequential();
        long nf = features;
        if (pool)
        {
            if (options.Pooling == Pooling.Concat)
            {
                head.append(new AdaptiveConcatPool2d());
                nf *= 2;
            }
            else
            {
                head.append(AdaptiveAvgPool2d(1));
            }
            head.append(Flatten());
        }
        head.append(BatchNorm1d(nf));
        head.append(Dropout(options.Dropout / 2));
        head.append(Linear(nf, options.HiddenSize, hasBias: false));
        head.append(ReLU());
        head.append(BatchNorm1d(options.HiddenSize));
        head.append(Dropout(options.Dropout));
        head.append(Linear(options.HiddenSize, numClasses, hasBias: false));
        Initialize(head);
        return head;
    }

    private static void Initialize(Module head)
    {
        using var _ = no_grad();
        foreach (var (_, module) in head.named_modules())
        {
            switch (module)
            {
                case BatchNorm1d bn:
                    bn.weight!.fill_(1.0);
                    bn.bias!.fill_(1e-3);
                    break;
                case Linear linear:
                    init.kaiming_normal_(linear.weight);
                    linear.bias?.zero_();
                    break;
            }
        }
    }
}
