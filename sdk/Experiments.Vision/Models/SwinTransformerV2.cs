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
/// Swin Transformer V2 as timm's <c>SwinTransformerV2</c> (<c>timm/models/swin_transformer_v2.py</c>, no pretrained
/// window sizes): V1's shifted windows and stages with V2's three changes — scaled cosine attention (cosine similarity of
/// q and k times a learned per-head <c>logit_scale</c>, clamped at log 100), a continuous position bias from a small MLP
/// over log-spaced relative coordinates (<c>cpb_mlp</c>: 2 → 512 → heads, then 16·sigmoid), and res-post-norm (each
/// branch normalised after it, before the residual add, the norms starting at zero). Keys: <c>patch_embed.{proj, norm}</c>;
/// <c>layers.i.downsample.{reduction, norm}</c> for i ≥ 1 (V2 normalises after the reduction);
/// <c>layers.i.blocks.j.{attn.{logit_scale, cpb_mlp.0, cpb_mlp.2, qkv, q_bias, v_bias, proj}, norm1, mlp.fc1, mlp.fc2, norm2}</c>;
/// <c>norm</c>; <c>head.fc</c>. The coordinates table, the index, the zero key bias and the masks are non-persistent, as
/// in timm. The input size is fixed (<see cref="SwinTransformerConfig.ImageSize"/>).
/// </summary>
public sealed class SwinTransformerV2 : ImageModel
{
    private readonly SwinPatchEmbed patch_embed;
    private readonly Sequential layers;
    private readonly LayerNorm norm;
    private readonly SwinClassifierHead head;

    private readonly SwinTransformerConfig config;
    private readonly int numFeatures;

    public SwinTransformerV2(SwinTransformerConfig config, int numClasses = 1000, int inChannels = 3) : base(nameof(SwinTransformerV2), numClasses, inChannels)
    {
        var problem = config.TilingProblem()
            ?? (Enumerable.Range(0, config.Depths.Length).Any(stage => config.Window(stage).Window < 2)
                ? "a stage of a single token has no relative coordinates to scale" : null);
        if (problem is not null)
        {
            throw new ArgumentException($"This Swin Transformer V2 cannot take {config.ImageSize} px images: {problem}.", nameof(config));
        }
        this.config = config;
        patch_embed = new SwinPatchEmbed(inChannels, config.EmbedDim, config.PatchSize);
        layers = Sequential();
        long dim = config.EmbedDim;
        for (int stage = 0; stage < config.Depths.Length; stage++)
        {
            long outDim = (long)config.EmbedDim << stage;
            layers.append(new SwinTransformerV2Stage(dim, outDim, config, stage));
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

    /// <summary>The features after the final norm, channels first: (B, C, H, W) — 768 × 8 × 8 for Swin V2-T at 256 px.</summary>
    public override Tensor ForwardBody(Tensor input)
    {
        if (input.dim() != 4 || input.shape[2] != config.ImageSize || input.shape[3] != config.ImageSize)
        {
            throw new ArgumentException(
                $"This Swin Transformer V2 takes (B, {InChannels}, {config.ImageSize}, {config.ImageSize}) images; got ({string.Join(", ", input.shape)}).",
                nameof(input));
        }
        using var scope = NewDisposeScope();
        var x = norm.call(layers.call(patch_embed.call(input)));
        return x.permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }

    protected override Tensor ForwardHead(Tensor features) => head.call(features);

    /// <summary>
    /// timm's <c>_init_weights</c> and <c>_init_respostnorm</c>: Linear weights truncated-normal (std 0.02) with zero
    /// biases, and each block's <c>norm1</c> and <c>norm2</c> zero (weight and bias), so that every block starts as the
    /// identity; <c>logit_scale</c> log 10, <c>q_bias</c> and <c>v_bias</c> zero (set at construction).
    /// </summary>
    private void Initialize()
    {
        using var _ = no_grad();
        foreach (var (_, module) in named_modules())
        {
            if (module is Linear linear)
            {
                Layers.TruncatedNormal(linear.weight, std: 0.02);
                linear.bias?.zero_();
            }
        }
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.Contains(".blocks.", StringComparison.Ordinal) && (name.Contains(".norm1.", StringComparison.Ordinal) || name.Contains(".norm2.", StringComparison.Ordinal)))
            {
                parameter.zero_();
            }
        }
    }

    /// <summary>timm's <c>SwinTransformerV2Stage</c>: <c>downsample</c> (V2 patch merging; none in the first stage), <c>blocks</c>.</summary>
    private sealed class SwinTransformerV2Stage : Module<Tensor, Tensor>
    {
        private readonly PatchMerging? downsample;
        private readonly Sequential blocks;

        public SwinTransformerV2Stage(long dim, long outDim, SwinTransformerConfig config, int stage) : base(nameof(SwinTransformerV2Stage))
        {
            downsample = stage > 0 ? new PatchMerging(dim, outDim) : null;
            var (window, shift) = config.Window(stage);
            blocks = Sequential();
            for (int i = 0; i < config.Depths[stage]; i++)
            {
                blocks.append(new SwinTransformerV2Block(outDim, config.NumHeads[stage], config.Resolution(stage), window, i % 2 == 0 ? 0 : shift));
            }
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => blocks.call(downsample is null ? input : downsample.call(input));
    }

    /// <summary>timm's V2 <c>PatchMerging</c>: 2×2 groups of tokens concatenated → <c>reduction</c> (4C → 2C, no bias) → <c>norm</c> (2C).</summary>
    private sealed class PatchMerging : Module<Tensor, Tensor>
    {
        private readonly Linear reduction;
        private readonly LayerNorm norm;

        public PatchMerging(long dim, long outDim) : base(nameof(PatchMerging))
        {
            reduction = Linear(4 * dim, outDim, hasBias: false);
            norm = LayerNorm(outDim);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            long batch = input.shape[0], height = input.shape[1], width = input.shape[2], channels = input.shape[3];
            var x = input.reshape(batch, height / 2, 2, width / 2, 2, channels).permute(0, 1, 3, 4, 2, 5).flatten(3);
            return norm.call(reduction.call(x)).MoveToOuterDisposeScope();
        }
    }

    /// <summary>timm's <c>SwinTransformerV2Block</c> on (B, H, W, C), res-post-norm: x + norm1(attention(x)), then x + norm2(mlp(x)).</summary>
    private sealed class SwinTransformerV2Block : Module<Tensor, Tensor>
    {
        private readonly WindowAttention attn;
        private readonly LayerNorm norm1;
        private readonly Mlp mlp;
        private readonly LayerNorm norm2;
        private readonly int window;
        private readonly int shift;

        public SwinTransformerV2Block(long dim, int numHeads, int resolution, int window, int shift) : base(nameof(SwinTransformerV2Block))
        {
            attn = new WindowAttention(dim, numHeads, window, shift > 0 ? SwinWindows.ShiftedWindowMask(resolution, window, shift) : null);
            norm1 = LayerNorm(dim);
            mlp = new Mlp(dim, 4 * dim);
            norm2 = LayerNorm(dim);
            this.window = window;
            this.shift = shift;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            long batch = input.shape[0], height = input.shape[1], width = input.shape[2], channels = input.shape[3];
            var x = shift > 0 ? input.roll([-shift, -shift], [1, 2]) : input;
            x = SwinWindows.Reverse(attn.call(SwinWindows.Partition(x, window)), window, batch, height, width);
            if (shift > 0)
            {
                x = x.roll([shift, shift], [1, 2]);
            }
            x = Layers.Add(input, norm1.call(x)).reshape(batch, -1, channels);
            x = Layers.Add(x, norm2.call(mlp.call(x)));
            return x.reshape(batch, height, width, channels).MoveToOuterDisposeScope();
        }
    }

    /// <summary>
    /// timm's V2 <c>WindowAttention</c>: cosine attention scaled by exp(min(<c>logit_scale</c>, log 100)) per head, plus
    /// 16·sigmoid of the continuous position bias (<c>cpb_mlp</c> over <c>relative_coords_table</c>, indexed by
    /// <c>relative_position_index</c>), plus the block's shifted-window mask. The qkv projection has no bias of its own:
    /// <c>q_bias</c>, a zero key bias and <c>v_bias</c> are concatenated into it, as in timm.
    /// </summary>
    private sealed class WindowAttention : Module<Tensor, Tensor>
    {
        private static readonly Scalar MaxLogitScale = Math.Log(100).ToScalar();
        private static readonly Scalar BiasScale = 16.ToScalar();

        private readonly Parameter logit_scale;
        private readonly Sequential cpb_mlp;
        private readonly Linear qkv;
        private readonly Parameter q_bias;
        private readonly Parameter v_bias;
        private readonly Linear proj;
        private readonly Tensor k_bias;
        private readonly Tensor relative_coords_table;
        private readonly Tensor relative_position_index;
        private readonly Tensor? attn_mask;
        private readonly int numHeads;

        public WindowAttention(long dim, int numHeads, int window, Tensor? mask) : base(nameof(WindowAttention))
        {
            logit_scale = new Parameter(full(numHeads, 1, 1, Math.Log(10)));
            cpb_mlp = Sequential(Linear(2, 512, hasBias: true), ReLU(), Linear(512, numHeads, hasBias: false));
            qkv = Linear(dim, 3 * dim, hasBias: false);
            q_bias = new Parameter(zeros(dim));
            v_bias = new Parameter(zeros(dim));
            proj = Linear(dim, dim, hasBias: true);
            this.numHeads = numHeads;
            k_bias = zeros(dim).DetachFromDisposeScope();
            relative_coords_table = SwinWindows.RelativeCoordsTable(window);
            relative_position_index = SwinWindows.RelativePositionIndex(window);
            attn_mask = mask;
            // Non-persistent, as timm registers them: they move with the module but are not in the state dict.
            register_buffer(nameof(k_bias), k_bias, persistent: false);
            register_buffer(nameof(relative_coords_table), relative_coords_table, persistent: false);
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
            // timm's F.linear(x, qkv.weight, cat(q_bias, k_bias, v_bias)), through the module so that hooks see it.
            var parts = Layers.Add(qkv.call(input), cat([q_bias, k_bias, v_bias]))
                .reshape(windows, tokens, 3, numHeads, dim / numHeads).permute(2, 0, 3, 1, 4).unbind(0);
            var attention = functional.normalize(parts[0], p: 2, dim: -1, eps: 1e-12)
                .matmul(functional.normalize(parts[1], p: 2, dim: -1, eps: 1e-12).transpose(-2, -1));
            attention = attention.mul(logit_scale.clamp_max(MaxLogitScale).exp());
            var bias = cpb_mlp.call(relative_coords_table).index_select(0, relative_position_index.view(-1))
                .view(tokens, tokens, -1).permute(2, 0, 1).sigmoid().mul(BiasScale);
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
