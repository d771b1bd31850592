using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Experiments.Vision.Models;

// TorchSharp names a module's parameters, buffers and submodules after its fields, and those names are the state-dict
// keys (timm's, so that checkpoints and pretrained weights map one to one): module classes keep PyTorch's field names,
// not the repository's _camelCase.
#pragma warning disable IDE1006

/// <summary>
/// Swin Transformer (V1) as timm's <c>SwinTransformer</c> with its defaults (qkv bias, MLP ratio 4, exact GELU,
/// LayerNorm eps 1e-5, average pooling): <c>patch_embed.{proj, norm}</c>;
/// <c>layers.i.downsample.{norm, reduction}</c> for i ≥ 1 (patch merging, at the start of the stage as in timm ≥ 0.9);
/// <c>layers.i.blocks.j.{norm1, attn.{relative_position_bias_table, qkv, proj}, norm2, mlp.fc1, mlp.fc2}</c>; <c>norm</c>;
/// <c>head.fc</c>. Windowed attention with a learned relative position bias per head, every second block on windows
/// shifted by half a window with timm's attention mask (−100 between tokens from different regions). The relative
/// position index and the masks are non-persistent buffers, as in timm: not in the state dict. Tokens run channels-last
/// (B, H, W, C) as in timm; <see cref="ForwardBody"/> returns the final-norm features as (B, C, H, W) for the head.
/// The input size is fixed (<see cref="SwinTransformerConfig.ImageSize"/>).
/// </summary>
public sealed class SwinTransformer : ImageModel
{
    private readonly SwinPatchEmbed patch_embed;
    private readonly Sequential layers;
    private readonly LayerNorm norm;
    private readonly SwinClassifierHead head;

    private readonly SwinTransformerConfig config;
    private readonly int numFeatures;

    public SwinTransformer(SwinTransformerConfig config, int numClasses = 1000, int inChannels = 3) : base(nameof(SwinTransformer), numClasses, inChannels)
    {
        if (config.TilingProblem() is { } problem)
        {
            throw new ArgumentException($"This Swin Transformer cannot take {config.ImageSize} px images: {problem}.", nameof(config));
        }
        this.config = config;
        patch_embed = new SwinPatchEmbed(inChannels, config.EmbedDim, config.PatchSize);
        layers = Sequential();
        long dim = config.EmbedDim;
        for (int stage = 0; stage < config.Depths.Length; stage++)
        {
            long outDim = (long)config.EmbedDim << stage;
            layers.append(new SwinTransformerStage(dim, outDim, config, stage));
            dim = outDim;
        }
        numFeatures = (int)dim;
        norm = LayerNorm(dim);
        head = new SwinClassifierHead(dim, numClasses);
        RegisterComponents();
        Initialize();
    }

    public override int NumFeatures => numFeatures;

    public override IReadOnlyList<string> ClassifierKeyPrefixes { get; } = ["head.fc."];

    /// <summary>The one input size (height = width) this model takes.</summary>
    public int ImageSize => config.ImageSize;

    public int PatchSize => config.PatchSize;

    public int WindowSize => config.WindowSize;

    /// <summary>The features after the final norm, channels first: (B, C, H, W) — 768 × 7 × 7 for Swin-T at 224 px.</summary>
    public override Tensor ForwardBody(Tensor input)
    {
        if (input.dim() != 4 || input.shape[2] != config.ImageSize || input.shape[3] != config.ImageSize)
        {
            throw new ArgumentException(
                $"This Swin Transformer takes (B, {InChannels}, {config.ImageSize}, {config.ImageSize}) images; got ({string.Join(", ", input.shape)}).",
                nameof(input));
        }
        using var scope = NewDisposeScope();
        var x = norm.call(layers.call(patch_embed.call(input)));
        return x.permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }

    protected override Tensor ForwardHead(Tensor features) => head.call(features);

    /// <summary>
    /// timm's <c>init_weights_vit_timm</c>: Linear weights truncated-normal (std 0.02) with zero biases, and the relative
    /// position bias tables truncated-normal (std 0.02); LayerNorm 1 and 0, the patch convolution PyTorch's default.
    /// </summary>
    private void Initialize()
    {
        using var _ = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("relative_position_bias_table", StringComparison.Ordinal))
            {
                Layers.TruncatedNormal(parameter, std: 0.02);
            }
        }
        foreach (var (_, module) in named_modules())
        {
            if (module is Linear linear)
            {
                Layers.TruncatedNormal(linear.weight, std: 0.02);
                linear.bias?.zero_();
            }
        }
    }

    /// <summary>timm's <c>SwinTransformerStage</c>: <c>downsample</c> (patch merging; none in the first stage), <c>blocks</c>.</summary>
    private sealed class SwinTransformerStage : Module<Tensor, Tensor>
    {
        private readonly PatchMerging? downsample;
        private readonly Sequential blocks;

        public SwinTransformerStage(long dim, long outDim, SwinTransformerConfig config, int stage) : base(nameof(SwinTransformerStage))
        {
            downsample = stage > 0 ? new PatchMerging(dim, outDim) : null;
            var (window, shift) = config.Window(stage);
            blocks = Sequential();
            for (int i = 0; i < config.Depths[stage]; i++)
            {
                blocks.append(new SwinTransformerBlock(outDim, config.NumHeads[stage], config.Resolution(stage), window, i % 2 == 0 ? 0 : shift));
            }
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => blocks.call(downsample is null ? input : downsample.call(input));
    }

    /// <summary>
    /// timm's <c>PatchMerging</c>: each 2×2 group of tokens concatenated (in timm's order: (0,0), (1,0), (0,1), (1,1))
    /// → <c>norm</c> (4C) → <c>reduction</c> (Linear 4C → 2C, no bias).
    /// </summary>
    private sealed class PatchMerging : Module<Tensor, Tensor>
    {
        private readonly LayerNorm norm;
        private readonly Linear reduction;

        public PatchMerging(long dim, long outDim) : base(nameof(PatchMerging))
        {
            norm = LayerNorm(4 * dim);
            reduction = Linear(4 * dim, outDim, hasBias: false);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            long batch = input.shape[0], height = input.shape[1], width = input.shape[2], channels = input.shape[3];
            var x = input.reshape(batch, height / 2, 2, width / 2, 2, channels).permute(0, 1, 3, 4, 2, 5).flatten(3);
            return reduction.call(norm.call(x)).MoveToOuterDisposeScope();
        }
    }

    /// <summary>
    /// timm's <c>SwinTransformerBlock</c> on (B, H, W, C): x + attention over (shifted) windows of norm1(x), then
    /// x + mlp(norm2(x)).
    /// </summary>
    private sealed class SwinTransformerBlock : Module<Tensor, Tensor>
    {
        private readonly LayerNorm norm1;
        private readonly WindowAttention attn;
        private readonly LayerNorm norm2;
        private readonly Mlp mlp;
        private readonly int window;
        private readonly int shift;

        public SwinTransformerBlock(long dim, int numHeads, int resolution, int window, int shift) : base(nameof(SwinTransformerBlock))
        {
            norm1 = LayerNorm(dim);
            attn = new WindowAttention(dim, numHeads, window, shift > 0 ? SwinWindows.ShiftedWindowMask(resolution, window, shift) : null);
            norm2 = LayerNorm(dim);
            mlp = new Mlp(dim, 4 * dim);
            this.window = window;
            this.shift = shift;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            long batch = input.shape[0], height = input.shape[1], width = input.shape[2], channels = input.shape[3];
            var x = norm1.call(input);
            if (shift > 0)
            {
                x = x.roll([-shift, -shift], [1, 2]);
            }
            x = SwinWindows.Reverse(attn.call(SwinWindows.Partition(x, window)), window, batch, height, width);
            if (shift > 0)
            {
                x = x.roll([shift, shift], [1, 2]);
            }
            x = Layers.Add(input, x).reshape(batch, -1, channels);
            x = Layers.Add(x, mlp.call(norm2.call(x)));
            return x.reshape(batch, height, width, channels).MoveToOuterDisposeScope();
        }
    }

    /// <summary>
    /// timm's <c>WindowAttention</c> (its non-fused path): multi-head attention within each window, with
    /// <c>relative_position_bias_table</c> ((2w−1)², heads) indexed by the relative offset of every pair of tokens, and
    /// the block's shifted-window mask. The bias table needs its gradient, so the products are written out rather than
    /// left to <c>scaled_dot_product_attention</c>.
    /// </summary>
    private sealed class WindowAttention : Module<Tensor, Tensor>
    {
        private readonly Parameter relative_position_bias_table;
        private readonly Linear qkv;
        private readonly Linear proj;
        private readonly Tensor relative_position_index;
        private readonly Tensor? attn_mask;
        private readonly int numHeads;
        private readonly Scalar scale;

        public WindowAttention(long dim, int numHeads, int window, Tensor? mask) : base(nameof(WindowAttention))
        {
            relative_position_bias_table = new Parameter(zeros((2 * window - 1) * (2 * window - 1), numHeads));
            qkv = Linear(dim, 3 * dim, hasBias: true);
            proj = Linear(dim, dim, hasBias: true);
            this.numHeads = numHeads;
            scale = Math.Pow(dim / numHeads, -0.5).ToScalar();
            relative_position_index = SwinWindows.RelativePositionIndex(window);
            attn_mask = mask;
            // Non-persistent, as timm registers them: they move with the module but are not in the state dict.
            register_buffer(nameof(relative_position_index), relative_position_index, persistent: false);
            if (attn_mask is not null)
            {
                register_buffer(nameof(attn_mask), attn_mask, persistent: false);
            }
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            long windows = input.shape[0], tokens = input.shape[1], dim = input.shape[2];
            var parts = qkv.call(input).reshape(windows, tokens, 3, numHeads, dim / numHeads).permute(2, 0, 3, 1, 4).unbind(0);
            var attention = parts[0].mul(scale).matmul(parts[1].transpose(-2, -1));
            var bias = relative_position_bias_table.index_select(0, relative_position_index.view(-1)).view(tokens, tokens, -1).permute(2, 0, 1);
            attention = Layers.Add(attention, bias.unsqueeze(0));
            if (attn_mask is not null)
            {
                long maskWindows = attn_mask.shape[0];
                attention = Layers.Add(attention.view(-1, maskWindows, numHeads, tokens, tokens), attn_mask.unsqueeze(1).unsqueeze(0))
                    .view(-1, numHeads, tokens, tokens);
            }
            var x = attention.softmax(-1).matmul(parts[2]).transpose(1, 2).reshape(windows, tokens, dim);
            return proj.call(x).MoveToOuterDisposeScope();
        }
    }
}
