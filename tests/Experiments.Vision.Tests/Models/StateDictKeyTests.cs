using Experiments.Vision.Models;

namespace Experiments.Vision.Tests.Models;

/// <summary>
/// State-dict keys and shapes of one model per family (and both ConvNeXt MLP forms) equal the reference lists in
/// Reference/ (torchvision's resnet18 itself; timm's module trees for the others — see make_reference.py).
/// </summary>
public sealed class StateDictKeyTests
{
    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet26d")]
    [InlineData("resnext50_32x4d")]
    [InlineData("convnext_atto")]
    [InlineData("convnext_tiny")]
    [InlineData("vit_tiny_patch16_224")]
    [InlineData("regnety_004")]
    [InlineData("mobilenetv3_large_100")]
    [InlineData("mobilenetv3_small_100")]
    [InlineData("swin_tiny_patch4_window7_224")]
    [InlineData("swin_tiny_patch2_window4_32")]
    [InlineData("swinv2_tiny_window8_256")]
    [InlineData("swinv2_tiny_patch2_window4_32")]
    public void Keys_and_shapes_equal_the_reference(string name)
    {
        var expected = ModelFixtures.ReadKeyList(name);
        using var model = ModelCatalog.CreateReference(name, numClasses: 1000);

        var differences = ModelFixtures.Differences(expected, ModelFixtures.Shapes(model));

        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public void A_vision_model_is_the_body_under_body_and_fastais_head_under_head()
    {
        using var model = ModelCatalog.Create("resnet18", 10);
        var expected = ModelFixtures.ReadKeyList("resnet18")
            .Where(kv => !kv.Key.StartsWith("fc.", StringComparison.Ordinal))
            .ToDictionary(kv => "body." + kv.Key, kv => kv.Value);
        // fastai create_head(512, 10): 0 AdaptiveConcatPool2d, 1 Flatten, 2 BatchNorm1d(1024), 3 Dropout(0.25),
        // 4 Linear(1024, 512, bias=False), 5 ReLU, 6 BatchNorm1d(512), 7 Dropout(0.5), 8 Linear(512, 10, bias=False).
        foreach (var (index, features) in new[] { (2, 1024L), (6, 512L) })
        {
            expected[$"head.{index}.weight"] = [features];
            expected[$"head.{index}.bias"] = [features];
            expected[$"head.{index}.running_mean"] = [features];
            expected[$"head.{index}.running_var"] = [features];
            expected[$"head.{index}.num_batches_tracked"] = [];
        }
        expected["head.4.weight"] = [512, 1024];
        expected["head.8.weight"] = [10, 512];

        var differences = ModelFixtures.Differences(expected, ModelFixtures.Shapes(model));

        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Theory]
    [InlineData("resnet50d", "fc.")]
    [InlineData("convnext_femto", "head.fc.")]
    [InlineData("vit_small_patch4_32", "head.")]
    [InlineData("regnety_002", "head.fc.")]
    [InlineData("mobilenetv3_small_100", "classifier.")]
    [InlineData("swin_tiny_patch2_window4_32", "head.fc.")]
    [InlineData("swinv2_tiny_patch2_window4_32", "head.fc.")]
    public void The_body_is_the_reference_model_without_its_classifier(string name, string classifier)
    {
        using var reference = ModelCatalog.CreateReference(name, numClasses: 1000);
        using var body = ModelCatalog.CreateReference(name, numClasses: 0);

        var expected = ModelFixtures.Shapes(reference)
            .Where(kv => !kv.Key.StartsWith(classifier, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value);

        Assert.Equal([classifier], reference.ClassifierKeyPrefixes);
        Assert.Empty(ModelFixtures.Differences(expected, ModelFixtures.Shapes(body)));
        Assert.Contains(ModelFixtures.Shapes(reference).Keys, k => k.StartsWith(classifier, StringComparison.Ordinal));
    }
}
