using Experiments.Vision.Data;
using Experiments.Vision.Transforms;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Transforms;

public sealed class NormalizationTests
{
    public NormalizationTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void ImageNet_statistics_round_trip()
    {
        using var scope = NewDisposeScope();
        var images = rand(4, 3, 6, 5, generator: new Generator(1));

        var normalized = Normalization.ImageNet.Normalize(images);
        var restored = Normalization.ImageNet.Denormalize(normalized);

        Assert.True(restored.allclose(images, rtol: 0, atol: 1e-6));
        Assert.Equal(images.shape, normalized.shape);

        // The channel means map to 0 and mean + std to 1.
        var means = tensor(new[] { 0.485f, 0.456f, 0.406f }).reshape(1, 3, 1, 1).expand(1, 3, 2, 2);
        Assert.True(Normalization.ImageNet.Normalize(means).abs().max().item<float>() < 1e-6);
        var plusStd = tensor(new[] { 0.485f + 0.229f, 0.456f + 0.224f, 0.406f + 0.225f }).reshape(1, 3, 1, 1);
        Assert.True(Normalization.ImageNet.Normalize(plusStd).allclose(ones(1, 3, 1, 1), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Inception_statistics_map_0_1_to_minus_1_1()
    {
        using var scope = NewDisposeScope();
        var images = tensor(new[] { 0f, 0.5f, 1f }).reshape(1, 1, 1, 3).expand(1, 3, 1, 3);

        var normalized = Normalization.Inception.Normalize(images);

        Assert.True(normalized.allclose(tensor(new[] { -1f, 0f, 1f }).reshape(1, 1, 1, 3).expand(1, 3, 1, 3)));
        Assert.True(Normalization.Inception.Denormalize(normalized).allclose(images));
    }

    [Fact]
    public void Batch_statistics_standardise_each_channel()
    {
        using var scope = NewDisposeScope();
        var images = rand(8, 3, 10, 10, generator: new Generator(2)) * tensor(new[] { 0.2f, 0.5f, 1f }).reshape(1, 3, 1, 1);

        var statistics = Normalization.FromBatch(images);
        var normalized = statistics.Normalize(images);

        Assert.True(normalized.mean([0, 2, 3]).abs().max().item<float>() < 1e-5);
        Assert.True((normalized.std([0, 2, 3]) - 1).abs().max().item<float>() < 1e-4);
        Assert.True(statistics.Denormalize(normalized).allclose(images, rtol: 0, atol: 1e-6));
        Assert.Equal(0.1, statistics.Mean[0], 0.02);
        Assert.Equal(0.5, statistics.Mean[2], 0.05);
    }

    [Fact]
    public void Image_statistics_agree_with_batch_statistics()
    {
        using var scope = NewDisposeScope();
        var random = new Random(3);
        var images = Enumerable.Range(0, 3).Select(_ =>
        {
            var pixels = new byte[5 * 4 * 3];
            random.NextBytes(pixels);
            return new ImageData(5, 4, 3, pixels);
        }).ToArray();
        var batch = stack(images.Select(i => tensor(i.Pixels).reshape(4, 5, 3).permute(2, 0, 1)).ToArray()).to_type(ScalarType.Float64) / 255;

        var fromImages = Normalization.FromImages(images);
        var fromBatch = Normalization.FromBatch(batch);

        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(fromBatch.Mean[c], fromImages.Mean[c], 1e-12);
            Assert.Equal(fromBatch.Std[c], fromImages.Std[c], 1e-12);
        }

        // A sample: only the first image counts.
        Assert.Equal(Normalization.FromImages(images.Take(1)).Mean, Normalization.FromImages(images, maxImages: 1).Mean);
    }

    [Fact]
    public void Channel_counts_must_match_unless_one_value_is_given()
    {
        using var scope = NewDisposeScope();
        var grey = rand(2, 1, 4, 4);
        var twoChannels = rand(2, 2, 4, 4);

        var error = Assert.Throws<ArgumentException>(() => Normalization.ImageNet.Normalize(twoChannels));
        Assert.Contains("3 channels", error.Message, StringComparison.Ordinal);
        // Only normalising broadcasts grey to the statistics' channels; the inverse needs them all.
        Assert.Throws<ArgumentException>(() => Normalization.ImageNet.Denormalize(grey));

        var single = new Normalization([0.2860], [0.3530]);
        Assert.True(single.Denormalize(single.Normalize(grey)).allclose(grey, rtol: 0, atol: 1e-6));
        Assert.Throws<ArgumentException>(() => new Normalization([0.5, 0.5], [0.5]));
        Assert.Throws<ArgumentException>(() => new Normalization([0.5], [0]));
    }

    [Fact]
    public void A_grey_batch_with_colour_statistics_is_normalised_as_its_RGB_copy()
    {
        using var scope = NewDisposeScope();
        var grey = rand(2, 1, 4, 4, generator: new Generator(3));

        var normalized = Normalization.ImageNet.Normalize(grey);

        Assert.Equal([2L, 3, 4, 4], normalized.shape);
        Assert.True(normalized.eq(Normalization.ImageNet.Normalize(grey.expand(-1, 3, -1, -1))).all().item<bool>());
        Assert.True(Normalization.ImageNet.Denormalize(normalized).allclose(grey.expand(-1, 3, -1, -1), rtol: 0, atol: 1e-6));
    }
}
