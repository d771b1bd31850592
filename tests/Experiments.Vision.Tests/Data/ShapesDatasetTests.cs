using Experiments.Vision.Data;

namespace Experiments.Vision.Tests.Data;

public sealed class ShapesDatasetTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_same_seed_gives_the_same_images_and_labels(bool multiLabel)
    {
        var a = new ShapesDataset(50, imageSize: 32, seed: 7, multiLabel);
        var b = new ShapesDataset(50, imageSize: 32, seed: 7, multiLabel);
        var other = new ShapesDataset(50, imageSize: 32, seed: 8, multiLabel);

        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a.Get(i).Image.Pixels, b.Get(i).Image.Pixels);
            Assert.Equal(a.Get(i).Labels, b.Get(i).Labels);
        }
        Assert.True(Enumerable.Range(0, 50).Count(i => !a.Get(i).Image.Pixels.AsSpan().SequenceEqual(other.Get(i).Image.Pixels)) == 50);
    }

    [Fact]
    public void Images_are_stable_across_runs_and_machines()
    {
        // Integer-seeded Random and IEEE-exact arithmetic only: these bytes must never change (a change would alter every
        // demo's data). Update the constants only on purpose.
        var image = new ShapesDataset(3, imageSize: 32, seed: 42).Get(2).Image;

        Assert.Equal(2, new ShapesDataset(3, imageSize: 32, seed: 42).GetLabels(2)[0]);
        Assert.Equal(ExpectedChecksum, Checksum(image.Pixels));
    }

    [Fact]
    public void Single_label_items_have_one_balanced_class_and_labels_agree_with_samples()
    {
        var dataset = new ShapesDataset(600, imageSize: 32, seed: 1);

        var labels = Enumerable.Range(0, dataset.Count).Select(dataset.GetLabels).ToList();

        Assert.All(labels, l => Assert.Single(l));
        Assert.All(labels.GroupBy(l => l[0]), g => Assert.InRange(g.Count(), 160, 240));
        Assert.Equal(3, labels.Select(l => l[0]).Distinct().Count());
        Assert.All(Enumerable.Range(0, 30), i => Assert.Equal(labels[i], dataset.Get(i).Labels));
        Assert.Equal(["circle", "square", "triangle"], dataset.Classes);
    }

    [Fact]
    public void Multi_label_items_have_one_to_three_sorted_distinct_kinds()
    {
        var dataset = new ShapesDataset(300, imageSize: 48, seed: 3, multiLabel: true);

        var labels = Enumerable.Range(0, dataset.Count).Select(dataset.GetLabels).ToList();

        Assert.True(dataset.IsMultiLabel);
        Assert.All(labels, l =>
        {
            Assert.InRange(l.Length, 1, 3);
            Assert.Equal(l.Distinct().Order(), l);
        });
        Assert.Equal([1, 2, 3], labels.Select(l => l.Length).Distinct().Order());
        Assert.All(Enumerable.Range(0, 3), k => Assert.InRange(labels.Count(l => l.Contains(k)), 120, 220));
        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(labels[i], dataset.Get(i).Labels));
    }

    [Theory]
    [InlineData(32, 3)]
    [InlineData(64, 1)]
    [InlineData(45, 3)]
    public void Images_have_the_requested_size_and_channels_and_are_not_flat(int size, int channels)
    {
        var dataset = new ShapesDataset(5, size, seed: 2, channels: channels);

        var image = dataset.Get(4).Image;

        Assert.Equal((size, size, channels), (image.Width, image.Height, image.Channels));
        Assert.True(image.Pixels.Max() - image.Pixels.Min() > 60, "an image with a shape has contrast");
    }

    [Fact]
    public void The_test_part_is_drawn_independently_of_the_training_part()
    {
        var train = VisionDatasets.Open(VisionDatasets.Shapes, new VisionDatasetOptions { Seed = 5, Count = 20 });
        var test = VisionDatasets.Open(VisionDatasets.Shapes, new VisionDatasetOptions { Seed = 5, Count = 20, Part = DatasetPart.Test });

        Assert.All(Enumerable.Range(0, 20), i => Assert.False(train.Get(i).Image.Pixels.AsSpan().SequenceEqual(test.Get(i).Image.Pixels)));
        Assert.Equal(500, VisionDatasets.Open(VisionDatasets.ShapesMulti, new VisionDatasetOptions { Part = DatasetPart.Test }).Count);
        Assert.Equal(2000, VisionDatasets.Open(VisionDatasets.ShapesMulti).Count);
    }

    [Fact]
    public void Unknown_names_are_refused_with_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => VisionDatasets.Open("shape"));

        Assert.Contains("fashion-mnist, fashion-mnist-sample, fashion-mosaic, fashion-mosaic-sample, shapes, shapes-multi", error.Message);
    }

    private const ulong ExpectedChecksum = 1670401247534909179UL;

    private static ulong Checksum(byte[] bytes)
    {
        ulong hash = 14695981039346656037UL;   // FNV-1a
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }
}
