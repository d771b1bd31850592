using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Experiments.Vision.Models;

// TorchSharp names a module's parameters, buffers and submodules after its fields, and those names are the state-dict
// keys (timm's, so that checkpoints and pretrained weights map one to one): module classes keep PyTorch's field names,
// not the repository's _camelCase.
#pragma warning disable IDE1006

/// <summary>
/// Shape of a <see cref="SwinTransformer"/> or a <see cref="SwinTransformerV2"/> (timm <c>timm/models/swin_transformer.py</c>
/// and <c>swin_transformer_v2.py</c> model functions).
/// </summary>
/// <param name="EmbedDim">Channels of the first stage (doubled by each patch merging).</param>
/// <param name="Depths">Blocks per stage.</param>
/// <param name="NumHeads">Attention heads per stage.</param>
/// <param name="PatchSize">Side of the square patches of the patch embedding.</param>
/// <param name="WindowSize">Side of the attention windows (a stage no larger than it is one window).</param>
/// <param name="ImageSize">The one input size the model takes (square): the attention masks and position tables are built for it.</param>
public sealed record SwinTransformerConfig(int EmbedDim, int[] Depths, int[] NumHeads, int PatchSize, int WindowSize, int ImageSize)
{
    /// <summary>timm <c>swin_tiny_patch4_window7_224</c>: C=96, depths (2, 2, 6, 2), heads (3, 6, 12, 24), 4×4 patches, 7×7 windows, 224 px.</summary>
    public static SwinTransformerConfig TinyPatch4Window7x224 { get; } = new(96, [2, 2, 6, 2], [3, 6, 12, 24], 4, 7, 224);

    /// <summary>
    /// Swin-T on 32×32 images in 2×2 patches and 4×4 windows (stages of 16, 8, 4 and 2 tokens a side): timm's architecture
    /// and keys, not a timm model name.
    /// </summary>
    public static SwinTransformerConfig TinyPatch2Window4x32 { get; } = new(96, [2, 2, 6, 2], [3, 6, 12, 24], 2, 4, 32);

    /// <summary>timm <c>swinv2_tiny_window8_256</c>: C=96, depths (2, 2, 6, 2), heads (3, 6, 12, 24), 4×4 patches, 8×8 windows, 256 px.</summary>
    public static SwinTransformerConfig V2TinyWindow8x256 { get; } = new(96, [2, 2, 6, 2], [3, 6, 12, 24], 4, 8, 256);

    /// <summary>
    /// Swin V2-T on 32×32 images in 2×2 patches and 4×4 windows (stages of 16, 8, 4 and 2 tokens a side): timm's
    /// architecture and keys, not a timm model name.
    /// </summary>
    public static SwinTransformerConfig V2TinyPatch2Window4x32 { get; } = new(96, [2, 2, 6, 2], [3, 6, 12, 24], 2, 4, 32);

    /// <summary>Tokens a side after the patch embedding.</summary>
    public int GridSize => ImageSize / PatchSize;

    /// <summary>Tokens a side in stage <paramref name="stage"/> (halved by each patch merging).</summary>
    public int Resolution(int stage) => GridSize >> stage;

    /// <summary>
    /// The window and shift of stage <paramref name="stage"/> as timm's <c>_calc_window_shift</c>: a stage no larger
    /// than the window is a single window, unshifted; otherwise the window, shifted by half of it in every second block.
    /// </summary>
    public (int Window, int Shift) Window(int stage)
    {
        int resolution = Resolution(stage);
        return resolution <= WindowSize ? (resolution, 0) : (WindowSize, WindowSize / 2);
    }

    /// <summary>
    /// Why an image of <see cref="ImageSize"/> px cannot go through this model, or null when it can: the patches must
    /// tile the image, each patch merging must halve an even side, and the windows must tile every stage (timm pads
    /// instead; a padded window would change what the position tables mean, so a catalog Swin takes exact sizes only).
    /// </summary>
    public string? TilingProblem()
    {
        if (ImageSize % PatchSize != 0)
        {
            return $"the image side {ImageSize} is not a multiple of the patch size {PatchSize}";
        }
        for (int stage = 0; stage < Depths.Length; stage++)
        {
            if (stage > 0 && Resolution(stage - 1) % 2 != 0)
            {
                return $"stage {stage + 1} halves an odd side of {Resolution(stage - 1)} tokens";
            }
            var (window, _) = Window(stage);
            if (Resolution(stage) % window != 0)
            {
                return $"{window}×{window} windows do not tile stage {stage + 1}'s {Resolution(stage)}×{Resolution(stage)} tokens";
            }
            if ((EmbedDim << stage) % NumHeads[stage] != 0)
            {
                return $"stage {stage + 1}'s {EmbedDim << stage} channels do not split into {NumHeads[stage]} heads";
            }
        }
        return null;
    }
}

/// <summary>
/// The windowing both Swin versions share (timm's <c>window_partition</c>, <c>window_reverse</c>, the shifted-window
/// attention mask, the relative position index). The constant tensors leave any dispose scope: a model owns them as
/// non-persistent buffers.
/// </summary>
internal static class SwinWindows
{
    /// <summary>(B, H, W, C) → (B·nW, window², C), windows in row-major order.</summary>
    public static Tensor Partition(Tensor x, int window)
    {
        long batch = x.shape[0], height = x.shape[1], width = x.shape[2], channels = x.shape[3];
        return x.view(batch, height / window, window, width / window, window, channels).permute(0, 1, 3, 2, 4, 5).reshape(-1, window * window, channels);
    }

    /// <summary>(B·nW, window², C) → (B, H, W, C): the inverse of <see cref="Partition"/>.</summary>
    public static Tensor Reverse(Tensor windows, int window, long batch, long height, long width)
    {
        long channels = windows.shape[^1];
        return windows.view(batch, height / window, width / window, window, window, channels).permute(0, 1, 3, 2, 4, 5).reshape(batch, height, width, channels);
    }

    /// <summary>
    /// timm's attention mask of a shifted block: the rolled image is cut into 3×3 regions (before the last window,
    /// the last window less the shift, the shift); tokens of one window that come from different regions get −100.
    /// (nW, window², window²).
    /// </summary>
    public static Tensor ShiftedWindowMask(int resolution, int window, int shift)
    {
        int Region(int position) => position < resolution - window ? 0 : position < resolution - shift ? 1 : 2;
        int windows = resolution / window, area = window * window;
        var mask = new float[windows * windows * area * area];
        for (int wy = 0; wy < windows; wy++)
        {
            for (int wx = 0; wx < windows; wx++)
            {
                int offset = (wy * windows + wx) * area * area;
                for (int i = 0; i < area; i++)
                {
                    int ri = 3 * Region(wy * window + i / window) + Region(wx * window + i % window);
                    for (int j = 0; j < area; j++)
                    {
                        int rj = 3 * Region(wy * window + j / window) + Region(wx * window + j % window);
                        mask[offset + i * area + j] = ri == rj ? 0f : -100f;
                    }
                }
            }
        }
        return tensor(mask).reshape(windows * windows, area, area).DetachFromDisposeScope();
    }

    /// <summary>timm's <c>get_relative_position_index</c>: (Δrow + w − 1)·(2w − 1) + (Δcol + w − 1) for every pair of tokens.</summary>
    public static Tensor RelativePositionIndex(int window)
    {
        int area = window * window;
        var index = new long[area * area];
        for (int i = 0; i < area; i++)
        {
            for (int j = 0; j < area; j++)
            {
                index[i * area + j] = (i / window - j / window + window - 1) * (2 * window - 1) + (i % window - j % window + window - 1);
            }
        }
        return tensor(index).reshape(area, area).DetachFromDisposeScope();
    }

    /// <summary>
    /// Swin V2's <c>relative_coords_table</c>: every relative offset (Δrow, Δcol) of a window, each in
    /// [−(w − 1), w − 1], scaled to [−8, 8] and log-spaced as sign(x)·log2(|x| + 1) / 3 — the input of the continuous
    /// position bias MLP. ((2w − 1)², 2), rows in the order of <see cref="RelativePositionIndex"/>.
    /// </summary>
    public static Tensor RelativeCoordsTable(int window)
    {
        int side = 2 * window - 1;
        var table = new float[side * side * 2];
        static float LogSpaced(double x) => (float)(Math.Sign(x) * Math.Log2(Math.Abs(x) + 1) / Math.Log2(8));
        for (int dy = 0; dy < side; dy++)
        {
            for (int dx = 0; dx < side; dx++)
            {
                table[(dy * side + dx) * 2] = LogSpaced((dy - (window - 1)) * 8.0 / (window - 1));
                table[(dy * side + dx) * 2 + 1] = LogSpaced((dx - (window - 1)) * 8.0 / (window - 1));
            }
        }
        return tensor(table).reshape(side * side, 2).DetachFromDisposeScope();
    }
}

/// <summary>timm's <c>PatchEmbed</c> with a norm and NHWC output: <c>proj</c> (kernel and stride = patch), <c>norm</c>.</summary>
internal sealed class SwinPatchEmbed : Module<Tensor, Tensor>
{
    private readonly Conv2d proj;
    private readonly LayerNorm norm;

    public SwinPatchEmbed(long inChannels, long dim, long patchSize) : base("PatchEmbed")
    {
        proj = Conv2d(inChannels, dim, patchSize, stride: patchSize, bias: true);
        norm = LayerNorm(dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return norm.call(proj.call(input).permute(0, 2, 3, 1)).MoveToOuterDisposeScope();
    }
}

/// <summary>timm's <c>ClassifierHead</c> on channels-last features: average pool → <c>fc</c> (here on the body's (B, C, H, W)).</summary>
internal sealed class SwinClassifierHead : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> fc;

    public SwinClassifierHead(long features, int numClasses) : base("ClassifierHead")
    {
        fc = numClasses > 0 ? Linear(features, numClasses) : Identity();
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => fc.call(input.mean([2, 3]));
}
