using Experiments.Vision.Data;
using Experiments.Vision.Transforms;

namespace Experiments.Vision.Tests.Data;

public sealed class ImageDataLoaderTests
{
    [Theory]
    [InlineData(false, 10)]
    [InlineData(true, 10)]
    [InlineData(false, 7)]
    public void Every_index_comes_exactly_once_per_epoch_in_batches(bool training, int batchSize)
    {
        var dataset = new CountingDataset(103);
        var loader = new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = batchSize, Training = training, DropLast = false, Seed = 3, DecodeThreads = 3 });

        for (int epoch = 0; epoch < 3; epoch++)
        {
            var batches = loader.Batches(epoch).ToList();

            Assert.Equal(loader.BatchCount, batches.Count);
            Assert.Equal(Enumerable.Range(0, 103), batches.SelectMany(b => b.Indices).Order());
            Assert.Equal(loader.EpochOrder(epoch), batches.SelectMany(b => b.Indices));
            Assert.All(batches.SkipLast(1), b => Assert.Equal(batchSize, b.Count));
            Assert.Equal(Enumerable.Range(0, batches.Count), batches.Select(b => b.Number));
            Assert.All(batches, b => Assert.Equal(b.Indices.Select(i => i % 4), b.Labels.Select(l => l[0])));
        }
    }

    [Fact]
    public void A_disposed_batch_gives_its_pixel_array_to_a_later_batch_and_refuses_to_be_read()
    {
        var loader = new ImageDataLoader(new CountingDataset(100), new DataLoaderOptions { BatchSize = 10, Seed = 3, DecodeThreads = 1, PrefetchBatches = 1 });
        var arrays = new List<byte[]>();
        var kept = new List<(ImageBatch Batch, byte[] Copy)>();
        foreach (var batch in loader.Batches())
        {
            arrays.Add(batch.Pixels);
            if (batch.Number == 0)
            {
                // Never disposed: its array stays its own.
                kept.Add((batch, batch.Pixels.ToArray()));
                continue;
            }
            batch.Dispose();
            Assert.Throws<ObjectDisposedException>(() => batch.Pixels);
            batch.Dispose(); // twice is harmless
        }

        // Ten batches, at most three in flight (held, waiting, being built): disposed batches' arrays came back.
        Assert.True(arrays.Distinct(ReferenceEqualityComparer.Instance).Count() < arrays.Count, "no pixel array was reused");
        Assert.DoesNotContain(arrays.Skip(1), a => ReferenceEquals(a, arrays[0]));
        Assert.Equal(kept[0].Copy, kept[0].Batch.Pixels);
    }

    [Fact]
    public void Training_shuffles_differently_each_epoch_reproducibly_and_drops_the_last_partial_batch()
    {
        var dataset = new CountingDataset(103);
        var options = new DataLoaderOptions { BatchSize = 10, Training = true, Seed = 11 };
        var loader = new ImageDataLoader(dataset, options);

        var epoch0 = loader.Batches(0).SelectMany(b => b.Indices).ToList();
        var epoch1 = loader.Batches(1).SelectMany(b => b.Indices).ToList();

        Assert.Equal(10, loader.BatchCount);
        Assert.Equal(100, epoch0.Count);
        Assert.Equal(100, epoch0.Distinct().Count());
        Assert.NotEqual(epoch0, epoch1);
        Assert.NotEqual(Enumerable.Range(0, 100), epoch0);
        Assert.Equal(epoch1, new ImageDataLoader(dataset, options).Batches(1).SelectMany(b => b.Indices));
        Assert.Equal(Enumerable.Range(0, 103), new ImageDataLoader(dataset, options with { Training = false }).Batches().SelectMany(b => b.Indices));
    }

    [Fact]
    public void Batches_are_NCHW_bytes_of_the_item_images()
    {
        var image = DataFixtures.Gradient(5, 4);
        var dataset = new CountingDataset(3, _ => image);
        var loader = new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = 3 });

        var batch = Assert.Single(loader.Batches());

        Assert.Equal((3, 3, 4, 5), (batch.Count, batch.Channels, batch.Height, batch.Width));
        for (int n = 0; n < 3; n++)
        {
            for (int c = 0; c < 3; c++)
            {
                for (int y = 0; y < 4; y++)
                {
                    for (int x = 0; x < 5; x++)
                    {
                        Assert.Equal(image[y, x, c], batch.Pixels[(((((n * 3) + c) * 4) + y) * 5) + x]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Item_transforms_get_a_random_source_that_depends_on_the_item_not_on_the_threads()
    {
        var dataset = new CountingDataset(64);
        var transform = ItemTransform.From((image, random, training) =>
        {
            var pixels = (byte[])image.Pixels.Clone();
            pixels[0] = (byte)random.Next(256);
            pixels[1] = training ? (byte)1 : (byte)0;
            return new ImageData(image.Width, image.Height, image.Channels, pixels);
        });
        IEnumerable<(int, byte, byte)> Run(int threads, int seed) => new ImageDataLoader(dataset, new DataLoaderOptions
        {
            BatchSize = 8, Training = true, Seed = seed, DecodeThreads = threads, ItemTransform = transform,
        }).Batches(epoch: 2).SelectMany(b => b.Indices.Select((index, n) => (index, b.Pixels[n * 12], b.Pixels[(n * 12) + 4])));

        var one = Run(threads: 1, seed: 5).ToList();
        var four = Run(threads: 4, seed: 5).ToList();
        var otherSeed = Run(threads: 4, seed: 6).ToList();

        Assert.Equal(one, four);
        Assert.All(one, item => Assert.Equal(1, item.Item3));                       // told it is training
        Assert.True(one.Select(i => i.Item2).Distinct().Count() > 30);               // a different draw per item
        Assert.NotEqual(one.OrderBy(i => i.Item1), otherSeed.OrderBy(i => i.Item1));
    }

    [Fact]
    public void Prefetch_runs_ahead_of_the_consumer_but_only_by_the_bounded_number_of_batches()
    {
        var dataset = new CountingDataset(400);
        var loader = new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = 4, PrefetchBatches = 2, DecodeThreads = 2 });

        using var batches = loader.Batches().GetEnumerator();
        Assert.True(batches.MoveNext());

        // The batch held here, two waiting in the channel, one decoded and blocked on writing: 4 batches, and no more.
        AssertDecodedSettlesAt(dataset, 4 * 4);
        Assert.True(batches.MoveNext());
        AssertDecodedSettlesAt(dataset, 5 * 4);
    }

    [Fact]
    public void Leaving_the_loop_early_stops_the_background_decoding()
    {
        var dataset = new CountingDataset(400);
        var loader = new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = 4, PrefetchBatches = 2 });

        foreach (var batch in loader.Batches())
        {
            if (batch.Number == 1)
            {
                break;
            }
        }
        int afterLoop = dataset.Gets;
        Thread.Sleep(100);

        Assert.Equal(afterLoop, dataset.Gets);
        Assert.True(afterLoop <= 6 * 4);
    }

    [Fact]
    public void Cancellation_stops_the_epoch_with_OperationCanceledException()
    {
        var dataset = new CountingDataset(400, delay: TimeSpan.FromMilliseconds(2));
        var loader = new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = 4 });
        using var cancel = new CancellationTokenSource();
        int seen = 0;

        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var batch in loader.Batches(0, cancel.Token))
            {
                if (++seen == 3)
                {
                    cancel.Cancel();
                }
            }
        });
        int afterCancel = dataset.Gets;
        Thread.Sleep(100);

        Assert.Equal(3, seen);
        Assert.Equal(afterCancel, dataset.Gets);
        Assert.True(afterCancel < 400);
    }

    [Fact]
    public async Task The_async_stream_gives_the_same_batches()
    {
        var dataset = new CountingDataset(50);
        var loader = new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = 8, Training = true, Seed = 1 });

        var indices = new List<int>();
        await foreach (var batch in loader.BatchesAsync(4))
        {
            indices.AddRange(batch.Indices);
        }

        Assert.Equal(loader.Batches(4).SelectMany(b => b.Indices), indices);
    }

    [Fact]
    public void Images_of_different_sizes_without_a_resizing_transform_are_a_clear_error()
    {
        var dataset = new CountingDataset(4, i => DataFixtures.Solid(10 + i, 10, 0, 0, 0));
        var loader = new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = 4 });

        var error = Assert.Throws<InvalidOperationException>(() => loader.Batches().ToList());

        Assert.Contains("item #1 is 11×10×3, item #0 is 10×10×3", error.Message);
        Assert.Contains("item transform", error.Message);
    }

    [Fact]
    public void An_exception_from_a_transform_surfaces_as_itself()
    {
        var loader = new ImageDataLoader(new CountingDataset(8), new DataLoaderOptions
        {
            BatchSize = 4,
            ItemTransform = ItemTransform.From((_, _, _) => throw new NotSupportedException("no such resize")),
        });

        var error = Assert.Throws<NotSupportedException>(() => loader.Batches().ToList());

        Assert.Equal("no such resize", error.Message);
    }

    [Fact]
    public void Items_whose_transform_draws_nothing_are_decoded_once_and_repeat_exactly_in_later_epochs()
    {
        var cached = new CountingDataset(40, index => Noise(6, 6, index));
        var uncached = new CountingDataset(40, index => Noise(6, 6, index));
        // A random crop of a square image to a square target has no position to draw.
        DataLoaderOptions Options(long cacheBytes) => new() { BatchSize = 8, Training = true, Seed = 3, DecodeThreads = 2, ItemTransform = new Resize(4), CacheBytes = cacheBytes };
        var withCache = new ImageDataLoader(cached, Options(1 << 20));
        var withoutCache = new ImageDataLoader(uncached, Options(0));
        static Dictionary<int, byte[]> Items(ImageDataLoader loader, int epoch) =>
            loader.Batches(epoch).SelectMany(b => b.Indices.Select((index, n) => (index, b.Pixels.AsSpan(n * 48, 48).ToArray()))).ToDictionary(i => i.index, i => i.Item2);

        var first = Items(withCache, 0);
        Assert.Equal((40, 40L * 48), withCache.Kept);
        var second = Items(withCache, 1);
        var reference = Items(withoutCache, 1);

        Assert.Equal(40, cached.Gets);              // the second epoch decoded nothing
        Assert.Equal(40, uncached.Gets);
        Assert.Equal((0, 0L), withoutCache.Kept);
        Assert.All(reference, item => Assert.Equal(item.Value, second[item.Key]));
        Assert.All(first, item => Assert.Equal(item.Value, second[item.Key]));
    }

    [Fact]
    public void Random_crops_are_not_kept_and_the_budget_caps_what_is_kept()
    {
        var dataset = new CountingDataset(20, index => Noise(8, 6, index));
        var training = new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = 5, Training = true, Seed = 1, DecodeThreads = 1, ItemTransform = new Resize(4) });
        foreach (var batch in training.Batches(0).Concat(training.Batches(1)))
        {
            batch.Dispose();
        }
        Assert.Equal((0, 0L), training.Kept);       // a crop position is drawn per epoch
        Assert.Equal(40, dataset.Gets);

        // Validation crops are centred: kept, up to the budget of 5 items of 4 × 4 × 3 bytes.
        var validation = new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = 5, DecodeThreads = 1, ItemTransform = new Resize(4), CacheBytes = 5 * 48 });
        foreach (var batch in validation.Batches(0).Concat(validation.Batches(1)))
        {
            batch.Dispose();
        }
        Assert.Equal((5, 5L * 48), validation.Kept);
        Assert.Equal(40 + 20 + 15, dataset.Gets);
    }

    /// <summary>An RGB image of random bytes, the same for the same index.</summary>
    private static ImageData Noise(int width, int height, int index)
    {
        var pixels = new byte[width * height * 3];
        new Random(index).NextBytes(pixels);
        return new ImageData(width, height, 3, pixels);
    }

    private static void AssertDecodedSettlesAt(CountingDataset dataset, int expected)
    {
        Assert.True(SpinWait.SpinUntil(() => dataset.Gets >= expected, TimeSpan.FromSeconds(10)), $"only {dataset.Gets} of {expected} items decoded ahead");
        Thread.Sleep(150);
        Assert.Equal(expected, dataset.Gets);
    }

    /// <summary>Tiny 2×2 RGB items (label = index mod 4) that count how often they were decoded.</summary>
    private sealed class CountingDataset(int count, Func<int, ImageData>? image = null, TimeSpan delay = default) : IImageDataset
    {
        private int _gets;

        public int Gets => Volatile.Read(ref _gets);

        public int Count => count;

        public IReadOnlyList<string> Classes => ["a", "b", "c", "d"];

        public bool IsMultiLabel => false;

        public int Channels => 3;

        public ImageSample Get(int index)
        {
            Interlocked.Increment(ref _gets);
            if (delay > TimeSpan.Zero)
            {
                Thread.Sleep(delay);
            }
            var pixels = new byte[12];
            pixels[0] = (byte)index;
            return new ImageSample(image?.Invoke(index) ?? new ImageData(2, 2, 3, pixels), [index % 4]);
        }

        public int[] GetLabels(int index) => [index % 4];

        public string Describe(int index) => $"item #{index}";
    }
}
