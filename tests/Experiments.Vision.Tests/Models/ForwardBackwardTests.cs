using Experiments.Vision.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Models;

/// <summary>
/// Every catalog model, as <see cref="ModelCatalog.Create"/> builds it (body + fastai head), runs forward and
/// backward on a batch of 2 at 32 and 64 px — or at its fixed input size — with the expected output shape and
/// gradients everywhere they should be. The reference form (own classifier) runs forward at the smaller size.
/// </summary>
public sealed class ForwardBackwardTests
{
    private const int Classes = 3;

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var model in ModelCatalog.All)
        {
            foreach (var size in model.InputSize is { } fixedSize ? [fixedSize] : new[] { 32, 64 })
            {
                data.Add(model.Name, size);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_backward_give_class_scores_and_gradients(string name, int size)
    {
        random.manual_seed(1);
        using var model = ModelCatalog.Create(name, Classes);
        model.train();
        using var scope = NewDisposeScope();

        var images = randn(2, 3, size, size);
        var output = model.call(images);

        Assert.Equal(new long[] { 2, Classes }, output.shape);
        Assert.True(output.isfinite().all().item<bool>(), "non-finite output");

        var loss = nn.functional.cross_entropy(output, tensor(new long[] { 0, 2 }));
        loss.backward();

        var withoutGradient = model.named_parameters()
            .Where(p => p.parameter.grad is null)
            .Select(p => p.name)
            .Where(n => !UnusedInBody(name, n))
            .ToList();
        Assert.True(withoutGradient.Count == 0, $"no gradient for: {string.Join(", ", withoutGradient)}");
        Assert.All(model.parameters().Where(p => p.grad is not null), p => Assert.True(p.grad!.isfinite().all().item<bool>()));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_reference_form_gives_its_own_class_scores(string name)
    {
        var info = ModelCatalog.Describe(name);
        using var model = ModelCatalog.CreateReference(name, numClasses: 7);
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        int size = info.InputSize ?? 32;

        var output = model.call(randn(2, 3, size, size));

        Assert.Equal(new long[] { 2, 7 }, output.shape);
    }

    [Fact]
    public void One_input_channel_works_for_grey_images()
    {
        using var model = ModelCatalog.Create("resnet18", 10, inChannels: 1);
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();

        Assert.Equal(new long[] { 2, 10 }, model.call(randn(2, 1, 28, 28)).shape);
    }

    [Fact]
    public void A_vision_transformer_refuses_another_input_size()
    {
        using var model = ModelCatalog.Create("vit_tiny_patch4_32", 10);
        using var scope = NewDisposeScope();

        var error = Assert.Throws<ArgumentException>(() => model.call(randn(2, 3, 64, 64)));
        Assert.Contains("(B, 3, 32, 32)", error.Message);
    }

    [Fact]
    public void A_convnext_refuses_a_side_below_32_with_a_clear_message_and_takes_32()
    {
        using var model = ModelCatalog.Create("convnext_atto", 10, inChannels: 1);
        using var scope = NewDisposeScope();

        var error = Assert.Throws<ArgumentException>(() => model.call(randn(2, 1, 28, 28)));
        Assert.Contains("at least 32 px", error.Message);
        Assert.Contains("(2, 1, 28, 28)", error.Message);
        Assert.Equal(new long[] { 2, 10 }, model.call(randn(2, 1, 32, 40)).shape);
    }

    public static TheoryData<string> Names => ModelFixtures.AllModelNames();

    /// <summary>
    /// A timm ConvNeXt built with num_classes=0 keeps its head's LayerNorm (<c>head.norm</c>), a MobileNetV3 its
    /// <c>conv_head</c>, but fastai's body runs <c>forward_features</c>, which stops before them — the same holds here,
    /// so they get no gradient.
    /// </summary>
    private static bool UnusedInBody(string model, string parameter) =>
        (model.StartsWith("convnext", StringComparison.Ordinal) && parameter.StartsWith("body.head.norm.", StringComparison.Ordinal))
        || (model.StartsWith("mobilenetv3", StringComparison.Ordinal) && parameter.StartsWith("body.conv_head.", StringComparison.Ordinal));
}
