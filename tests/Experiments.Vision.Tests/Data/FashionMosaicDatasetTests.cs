using Experiments.Vision.Data;

namespace Experiments.Vision.Tests.Data;

public sealed class FashionMosaicDatasetTests
{
    private static readonly Lazy<FashionMnistDataset> Items = new(() => FashionMnistDataset.OpenSample(DatasetPart.Train));

    [Fact]
    public void The_same_seed_gives_the_same_images_and_labels_in_any_order_and_thread()
    {
        var options = new FashionMosaicOptions { Count = 40, Seed = 7 };
        var a = new FashionMosaicDataset(Items.Value, options);
        var b = new FashionMosaicDataset(Items.Value, options);
        var other = new FashionMosaicDataset(Items.Value, options with { Seed = 8 });

        var forwards = Enumerable.Range(0, a.Count).Select(a.Get).ToArray();
        var parallel = new ImageSample[b.Count];
        Parallel.For(0, b.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[b.Count - 1 - i] = b.Get(b.Count - 1 - i));

        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(forwards[i].Image.Pixels, parallel[i].Image.Pixels);
            Assert.Equal(forwards[i].Labels, parallel[i].Labels);
            Assert.Equal(forwards[i].Labels, b.GetLabels(i));
        }
        Assert.True(Enumerable.Range(0, a.Count).Count(i => !forwards[i].Image.Pixels.AsSpan().SequenceEqual(other.Get(i).Image.Pixels)) >= 38);
    }

    [Fact]
    public void Labels_are_exactly_the_distinct_classes_of_the_items_pasted()
    {
        var dataset = new FashionMosaicDataset(Items.Value, new FashionMosaicOptions { Count = 200, MinItems = 1, MaxItems = 4, Seed = 3 });

        Assert.True(dataset.IsMultiLabel);
        Assert.Equal(FashionMnistDataset.ClassNames, dataset.Classes);
        for (int i = 0; i < dataset.Count; i++)
        {
            var layout = dataset.Layout(i);
            var expected = layout.Select(item => Items.Value.GetLabels(item.SourceIndex)[0]).Distinct().Order().ToArray();
            Assert.Equal(expected, dataset.GetLabels(i));
            Assert.Equal(expected, layout.Select(item => item.Label).Distinct().Order());
        }
        Assert.Equal(10, Enumerable.Range(0, dataset.Count).SelectMany(dataset.GetLabels).Distinct().Count());
    }

    [Fact]
    public void Items_are_painted_where_the_layout_puts_them_and_nowhere_else()
    {
        // White squares of one class each: the canvas is lit exactly on the union of the layout's squares.
        var source = new HandMadeDataset(2, false, [[0], [1]], imageSize: 28);
        var dataset = new FashionMosaicDataset(source, new FashionMosaicOptions { Count = 20, Layout = MosaicLayout.Scattered, CanvasSize = 48, MinItems = 2, MaxItems = 3, MinItemSize = 10, MaxItemSize = 30 });

        for (int i = 0; i < dataset.Count; i++)
        {
            var image = dataset.Get(i).Image;
            var layout = dataset.Layout(i);
            for (int y = 0; y < 48; y++)
            {
                for (int x = 0; x < 48; x++)
                {
                    bool covered = layout.Any(item => x >= item.X && x < item.X + item.Size && y >= item.Y && y < item.Y + item.Size);
                    Assert.Equal(covered ? 255 : 0, image[y, x, 0]);
                }
            }
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 3)]
    [InlineData(2, 4)]
    public void The_item_count_stays_in_range_and_reaches_both_ends(int min, int max)
    {
        var dataset = new FashionMosaicDataset(Items.Value, new FashionMosaicOptions { Count = 300, MinItems = min, MaxItems = max, MinItemSize = 12, MaxItemSize = 20 });

        var counts = Enumerable.Range(0, dataset.Count).Select(i => dataset.Layout(i)).ToList();

        Assert.All(counts, layout =>
        {
            Assert.InRange(layout.Count, min, max);
            Assert.All(layout, item =>
            {
                Assert.InRange(item.Size, 12, 20);
                Assert.InRange(item.X, 0, dataset.Options.CanvasSize - item.Size);
                Assert.InRange(item.Y, 0, dataset.Options.CanvasSize - item.Size);
            });
        });
        Assert.Equal(Enumerable.Range(min, max - min + 1), counts.Select(l => l.Count).Distinct().Order());
    }

    [Theory]
    [InlineData(1, 40)]
    [InlineData(3, 48)]
    public void Images_have_the_canvas_size_and_channels_and_are_not_blank(int channels, int size)
    {
        var dataset = new FashionMosaicDataset(Items.Value, new FashionMosaicOptions { Count = 30, CanvasSize = size, Channels = channels });

        Assert.Equal(channels, dataset.Channels);
        for (int i = 0; i < dataset.Count; i++)
        {
            var image = dataset.Get(i).Image;
            Assert.Equal((size, size, channels), (image.Width, image.Height, image.Channels));
            Assert.True(image.Pixels.Max() - image.Pixels.Min() > 100, $"canvas {i} has contrast");
            // Fashion-MNIST items are bright on black: a pasted item of 18 px or more lights a good share of the canvas.
            Assert.True(image.Pixels.Count(p => p > 30) > 40, $"canvas {i} shows an item");
            if (channels == 3)
            {
                Assert.Equal(image.ToChannels(1).ToChannels(3).Pixels, image.Pixels);
            }
        }
    }

    [Theory]
    [InlineData("Count", -1, 40, 1, 3, 18, 28, 1)]
    [InlineData("CanvasSize", 10, 4, 1, 3, 2, 4, 1)]
    [InlineData("MinItems", 10, 40, 0, 3, 18, 28, 1)]
    [InlineData("MaxItems", 10, 40, 3, 2, 18, 28, 1)]
    [InlineData("MinItemSize", 10, 40, 1, 3, 2, 28, 1)]
    [InlineData("MaxItemSize", 10, 40, 1, 3, 18, 12, 1)]
    [InlineData("MaxItemSize", 10, 40, 1, 3, 18, 41, 1)]
    [InlineData("Channels", 10, 40, 1, 3, 18, 28, 2)]
    public void Bad_options_are_refused_with_the_option_named(string option, int count, int canvas, int minItems, int maxItems, int minSize, int maxSize, int channels)
    {
        var options = new FashionMosaicOptions
        {
            Layout = MosaicLayout.Scattered, Count = count, CanvasSize = canvas, MinItems = minItems, MaxItems = maxItems, MinItemSize = minSize, MaxItemSize = maxSize, Channels = channels,
        };

        var error = Assert.Throws<ArgumentException>(() => new FashionMosaicDataset(Items.Value, options));

        Assert.Equal(option, error.ParamName);
        Assert.Contains($"FashionMosaicOptions.{option}", error.Message);
    }

    [Fact]
    public void A_grid_puts_one_item_in_each_of_distinct_cells_and_refuses_what_does_not_fit()
    {
        var dataset = new FashionMosaicDataset(Items.Value, new FashionMosaicOptions { Count = 200, MinItems = 1, MaxItems = 4, Seed = 9 });
        int cell = dataset.Options.CanvasSize / 2;

        var counts = new HashSet<int>();
        for (int i = 0; i < dataset.Count; i++)
        {
            var layout = dataset.Layout(i);
            counts.Add(layout.Count);
            var cells = layout.Select(item => (item.X / cell, item.Y / cell)).ToArray();
            Assert.Equal(cells.Length, cells.Distinct().Count());
            Assert.All(layout, item =>
            {
                // Wholly inside its cell: items of a grid never overlap.
                Assert.Equal(item.X / cell, (item.X + item.Size - 1) / cell);
                Assert.Equal(item.Y / cell, (item.Y + item.Size - 1) / cell);
                Assert.InRange(item.Size, 18, 20);
            });
        }
        Assert.Equal([1, 2, 3, 4], counts.Order());

        Assert.Equal("MaxItems", Assert.Throws<ArgumentException>(() => new FashionMosaicDataset(Items.Value, new FashionMosaicOptions { MaxItems = 5 })).ParamName);
        Assert.Equal("MaxItemSize", Assert.Throws<ArgumentException>(() => new FashionMosaicDataset(Items.Value, new FashionMosaicOptions { MaxItemSize = 21 })).ParamName);
    }

    [Fact]
    public void The_origin_is_the_sources_through_mosaics_and_subsets()
    {
        var mosaic = new FashionMosaicDataset(Items.Value, new FashionMosaicOptions { Count = 4 });
        IImageDataset subset = new SubsetDataset(mosaic, [0, 1]);

        Assert.Equal(new DataOrigin("mosaics of " + FashionMnistDataset.SampleSource, IsSample: true), subset.Origin);
        Assert.Null(((IImageDataset)new FashionMosaicDataset(HandMadeDataset.Single(2, [0, 1]))).Origin);
    }

    [Fact]
    public void A_multi_label_or_empty_source_is_refused()
    {
        Assert.Contains("single-label", Assert.Throws<ArgumentException>(() => new FashionMosaicDataset(HandMadeDataset.Multi(2, [0]))).Message);
        Assert.Contains("no items", Assert.Throws<ArgumentException>(() => new FashionMosaicDataset(HandMadeDataset.Single(2))).Message);
    }

    [Fact]
    public void Describe_names_the_canvas_and_its_source_items()
    {
        var dataset = new FashionMosaicDataset(Items.Value, new FashionMosaicOptions { Count = 3, Seed = 5 });

        string text = dataset.Describe(2);

        Assert.StartsWith("fashion-mosaic #2 (seed 5, 40 px) of fashion-mnist train #", text);
        Assert.Equal(dataset.Layout(2).Count, text.Split("fashion-mnist train #").Length - 1);
    }
}
