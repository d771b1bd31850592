using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Experiments.Vision.Models;

// TorchSharp names a module's parameters, buffers and submodules after its fields, and those names are the state-dict
// keys (timm's, so that checkpoints and pretrained weights map one to one): module classes keep PyTorch's field names,
// not the repository's _camelCase.
#pragma warning disable IDE1006

/// <summary>Shape of a <see cref="VisionTransformer"/>.</summary>
/// <param name="EmbedDim">Token width D.</param>
/// <param name="Depth">Transformer blocks.</param>
/// <param name="NumHeads">Attention heads.</param>
/// <param name="PatchSize">Side of the square patches.</param>
/// <param name="ImageSize">The one input size the model takes (square); a multiple of <paramref name="PatchSize"/>.</param>
public sealed record VisionTransformerConfig(int EmbedDim, int Depth, int NumHeads, int PatchSize, int ImageSize)
{
    /// <summary>timm <c>vit_tiny_patch16_224</c>: D=192, 12 blocks, 3 heads, 16×16 patches of a 224×224 image.</summary>
    public static VisionTransformerConfig TinyPatch16x224 { get; } = new(192, 12, 3, 16, 224);

    /// <summary>timm <c>vit_small_patch16_224</c>: D=384, 12 blocks, 6 heads, 16×16 patches of a 224×224 image.</summary>
    public static VisionTransformerConfig SmallPatch16x224 { get; } = new(384, 12, 6, 16, 224);

    /// <summary>ViT-Ti on 32×32 images in 4×4 patches (64 tokens): timm's architecture and keys, not a timm model name.</summary>
    public static VisionTransformerConfig TinyPatch4x32 { get; } = new(192, 12, 3, 4, 32);

    /// <summary>ViT-S on 32×32 images in 4×4 patches (64 tokens): timm's architecture and keys, not a timm model name.</summary>
    public static VisionTransformerConfig SmallPatch4x32 { get; } = new(384, 12, 6, 4, 32);

    public int NumPatches => (ImageSize / PatchSize) * (ImageSize / PatchSize);
}

/// <summary>
/// Vision Transformer as timm's <c>VisionTransformer</c> with its defaults (class token, learned position embedding
/// added to it too, pre-norm blocks, qkv bias, MLP ratio 4, LayerNorm eps 1e-6, exact GELU, class-token pooling):
/// <c>cls_token</c>, <c>pos_embed</c>, <c>patch_embed.proj</c>,
/// <c>blocks.k.{norm1, attn.qkv, attn.proj, norm2, mlp.fc1, mlp.fc2}</c>, <c>norm</c>, <c>head</c>.
/// The input size is fixed (<see cref="VisionTransformerConfig.ImageSize"/>).
/// </summary>
public sealed class VisionTransformer : ImageModel
{
    private readonly Parameter cls_token;
    private readonly Parameter pos_embed;
    private readonly PatchEmbed patch_embed;
    private readonly Sequential blocks;
    private readonly LayerNorm norm;
    private readonly Module<Tensor, Tensor> head;

    private readonly VisionTransformerConfig config;

    public VisionTransformer(VisionTransformerConfig config, int numClasses = 1000, int inChannels = 3)
        : base(nameof(VisionTransformer), numClasses, inChannels)
    {
        if (config.ImageSize % config.PatchSize != 0 || config.EmbedDim % config.NumHeads != 0)
        {
            throw new ArgumentException($"Image size {config.ImageSize} must be a multiple of the patch size {config.PatchSize} and the width {config.EmbedDim} of the heads {config.NumHeads}.", nameof(config));
        }
        this.config = config;
        int dim = config.EmbedDim;
        cls_token = new Parameter(zeros(1, 1, dim));
        pos_embed = new Parameter(zeros(1, config.NumPatches + 1, dim));
        patch_embed = new PatchEmbed(inChannels, dim, config.PatchSize);
        blocks = Sequential();
        for (int i = 0; i < config.Depth; i++)
        {
            blocks.append(new Block(dim, config.NumHeads));
        }
        norm = LayerNorm(dim, eps: 1e-6);
        head = numClasses > 0 ? Linear(dim, numClasses) : Identity();
        RegisterComponents();
        Initialize();
    }

    public override int NumFeatures => config.EmbedDim;

    public override bool BodyOutputIsPooled => true;

    public override IReadOnlyList<string> ClassifierKeyPrefixes { get; } = ["head."];

    /// <summary>The one input size (height = width) this model takes.</summary>
    public int ImageSize => config.ImageSize;

    public int PatchSize => config.PatchSize;

    /// <summary>All tokens after the final norm: (B, 1 + patches, D).</summary>
    public Tensor ForwardFeatures(Tensor input)
    {
        if (input.dim() != 4 || input.shape[2] != config.ImageSize || input.shape[3] != config.ImageSize)
        {
            throw new ArgumentException(
                $"This Vision Transformer takes (B, {InChannels}, {config.ImageSize}, {config.ImageSize}) images; got ({string.Join(", ", input.shape)}).",
                nameof(input));
        }
        using var scope = NewDisposeScope();
        var x = patch_embed.call(input);
        x = Layers.Add(cat([cls_token.expand(x.shape[0], -1, -1), x], 1), pos_embed);
        x = norm.call(blocks.call(x));
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>The class token after the final norm (timm's pre-logits with <c>global_pool='token'</c>): (B, D).</summary>
    public override Tensor ForwardBody(Tensor input)
    {
        using var scope = NewDisposeScope();
        return ForwardFeatures(input).select(1, 0).MoveToOuterDisposeScope();
    }

    protected override Tensor ForwardHead(Tensor features) => head.call(features);

    /// <summary>
    /// timm's default init: <c>pos_embed</c> truncated-normal std 0.02, <c>cls_token</c> normal std 1e-6, Linear
    /// weights truncated-normal std 0.02 with zero biases; the patch convolution keeps PyTorch's default.
    /// </summary>
    private void Initialize()
    {
        using var _ = no_grad();
        Layers.TruncatedNormal(pos_embed, std: 0.02);
        init.normal_(cls_token, std: 1e-6);
        foreach (var (_, module) in named_modules())
        {
            if (module is Linear linear)
            {
                Layers.TruncatedNormal(linear.weight, std: 0.02);
                linear.bias?.zero_();
            }
        }
    }

    /// <summary>timm's <c>PatchEmbed</c>: <c>proj</c> convolution with kernel and stride = patch size, flattened to tokens.</summary>
    private sealed class PatchEmbed : Module<Tensor, Tensor>
    {
        private readonly Conv2d proj;

        public PatchEmbed(long inChannels, long dim, long patchSize) : base(nameof(PatchEmbed))
        {
            proj = Conv2d(inChannels, dim, patchSize, stride: patchSize, bias: true);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            return proj.call(input).flatten(2).transpose(1, 2).MoveToOuterDisposeScope();
        }
    }

    private sealed class Block : Module<Tensor, Tensor>
    {
        private readonly LayerNorm norm1;
        private readonly Attention attn;
        private readonly LayerNorm norm2;
        private readonly Mlp mlp;

        public Block(long dim, int numHeads) : base(nameof(Block))
        {
            norm1 = LayerNorm(dim, eps: 1e-6);
            attn = new Attention(dim, numHeads);
            norm2 = LayerNorm(dim, eps: 1e-6);
            mlp = new Mlp(dim, 4 * dim);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var x = Layers.Add(input, attn.call(norm1.call(input)));
            x = Layers.Add(x, mlp.call(norm2.call(x)));
            return x.MoveToOuterDisposeScope();
        }
    }

    private sealed class Attention : Module<Tensor, Tensor>
    {
        private readonly Linear qkv;
        private readonly Linear proj;
        private readonly int numHeads;

        public Attention(long dim, int numHeads) : base(nameof(Attention))
        {
            qkv = Linear(dim, dim * 3, hasBias: true);
            proj = Linear(dim, dim, hasBias: true);
            this.numHeads = numHeads;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            long batch = input.shape[0], tokens = input.shape[1], dim = input.shape[2];
            var parts = qkv.call(input).reshape(batch, tokens, 3, numHeads, dim / numHeads).permute(2, 0, 3, 1, 4).unbind(0);
            var x = functional.scaled_dot_product_attention(parts[0], parts[1], parts[2]);
            x = x.transpose(1, 2).reshape(batch, tokens, dim);
            return proj.call(x).MoveToOuterDisposeScope();
        }
    }
}
