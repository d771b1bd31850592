using Experiments.Vision.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Models;

public sealed class VisionHeadTests
{
    [Fact]
    public void The_default_head_is_fastais_create_head_with_concat_pooling()
    {
        TorchRuntime.EnsureLoaded();
        using var head = VisionHead.Create(features: 320, numClasses: 5, pool: true);
        var layers = head.children().ToList();

        Assert.Collection(layers,
            l => Assert.IsType<AdaptiveConcatPool2d>(l),
            l => Assert.IsType<Flatten>(l),
            l => Assert.Equal(640, Assert.IsType<BatchNorm1d>(l).weight!.shape[0]),
            l => Assert.IsType<Dropout>(l),
            l => AssertLinear(l, 640, 512),
            l => Assert.IsType<ReLU>(l),
            l => Assert.Equal(512, Assert.IsType<BatchNorm1d>(l).weight!.shape[0]),
            l => Assert.IsType<Dropout>(l),
            l => AssertLinear(l, 512, 5));

        foreach (var bn in layers.OfType<BatchNorm1d>())
        {
            Assert.True(bn.weight!.eq(1).all().item<bool>());
            Assert.True(bn.bias!.sub(1e-3).abs().max().item<float>() < 1e-9);
        }
    }

    [Fact]
    public void Dropout_is_split_as_half_then_the_whole()
    {
        TorchRuntime.EnsureLoaded();
        using var head = VisionHead.Create(64, 2, pool: true, new ModelOptions { Dropout = 0.4 });
        var dropouts = head.children().OfType<Dropout>().ToList();

        // TorchSharp keeps p private; the effect shows in training mode: the share of zeros.
        head.train();
        using var scope = NewDisposeScope();
        var ones = torch.ones(200_000);
        double first = dropouts[0].call(ones).eq(0).to_type(ScalarType.Float64).mean().item<double>();
        double second = dropouts[1].call(ones).eq(0).to_type(ScalarType.Float64).mean().item<double>();
        Assert.InRange(first, 0.19, 0.21);
        Assert.InRange(second, 0.39, 0.41);
    }

    [Fact]
    public void Average_pooling_keeps_the_channel_count()
    {
        TorchRuntime.EnsureLoaded();
        using var head = VisionHead.Create(320, 5, pool: true, new ModelOptions { Pooling = Pooling.Average });
        var layers = head.children().ToList();

        Assert.IsType<AdaptiveAvgPool2d>(layers[0]);
        Assert.Equal(320, ((BatchNorm1d)layers[2]).weight!.shape[0]);
    }

    [Fact]
    public void Concat_pooling_puts_max_before_average()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var features = arange(8, dtype: ScalarType.Float32).reshape(1, 2, 2, 2); // channel 0: 0..3, channel 1: 4..7

        var pooled = new AdaptiveConcatPool2d().call(features).flatten();

        Assert.Equal(new[] { 3f, 7f, 1.5f, 5.5f }, pooled.data<float>().ToArray());
    }

    [Fact]
    public void A_vision_transformer_head_does_not_pool_or_double_its_features()
    {
        using var model = ModelCatalog.Create("vit_tiny_patch4_32", 4);
        var layers = model.Head.children().ToList();

        Assert.IsType<BatchNorm1d>(layers[0]);
        Assert.Equal(192, ((BatchNorm1d)layers[0]).weight!.shape[0]);
        Assert.Equal(7, layers.Count);
    }

    [Fact]
    public void Body_and_head_groups_split_the_parameters_and_freezing_keeps_norms_trainable()
    {
        using var model = ModelCatalog.Create("convnext_atto", 4);
        var body = model.BodyParameters();
        var head = model.HeadParameters();

        Assert.Equal(model.parameters().Count(), body.Count + head.Count);
        using var reference = ModelCatalog.CreateReference("convnext_atto", numClasses: 0);
        Assert.Equal(reference.ParameterCount(), body.Sum(p => p.numel()));

        model.FreezeBody();
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.All(trainable.Where(n => n.StartsWith("body.", StringComparison.Ordinal)),
            n => Assert.Matches(@"(\.norm\.|stem\.1\.|downsample\.0\.)(weight|bias)$", n));
        Assert.Contains("body.stem.1.weight", trainable); // LayerNorm2d stays trainable (fastai train_bn)
        Assert.DoesNotContain("body.stem.0.weight", trainable);
        Assert.All(model.named_parameters().Where(p => p.name.StartsWith("head.", StringComparison.Ordinal)), p => Assert.True(p.parameter.requires_grad));

        model.Unfreeze();
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
    }

    private static void AssertLinear(nn.Module module, long inFeatures, long outFeatures)
    {
        var linear = Assert.IsType<Linear>(module);
        Assert.Equal(new[] { outFeatures, inFeatures }, linear.weight.shape);
        Assert.Null(linear.bias);
    }
}
