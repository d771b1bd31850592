using System.Buffers.Binary;
using System.IO.Compression;
using Experiments.Vision.Data;
using Experiments.Vision.Tests.Support;

namespace Experiments.Vision.Tests.Data;

public sealed class FashionMnistTests
{
    [DebianFashionMnistFact]
    public void The_Debian_package_and_the_packaged_sample_give_the_same_images_and_labels()
    {
        foreach (var (part, count) in new[] { (DatasetPart.Train, FashionMnistDataset.SampleTrainCount), (DatasetPart.Test, FashionMnistDataset.SampleTestCount) })
        {
            var debian = FashionMnistDataset.Open(part, FashionMnistDataset.DefaultFolder);
            var subset = FashionMnistDataset.OpenSample(part);

            Assert.Equal(part == DatasetPart.Train ? 60_000 : 10_000, debian.Count);
            Assert.Equal(count, subset.Count);
            for (int i = 0; i < count; i++)
            {
                var expected = debian.Get(i);
                var actual = subset.Get(i);
                Assert.Equal(expected.Labels, actual.Labels);
                Assert.Equal((28, 28, 1), (actual.Image.Width, actual.Image.Height, actual.Image.Channels));
                Assert.True(expected.Image.Pixels.AsSpan().SequenceEqual(actual.Image.Pixels), $"{part} image {i} differs");
            }
        }
    }

    [Fact]
    public void The_sample_has_the_ten_classes_and_plausible_images()
    {
        var train = FashionMnistDataset.OpenSample(DatasetPart.Train);

        Assert.Equal(["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"], train.Classes);
        Assert.False(train.IsMultiLabel);
        Assert.Equal(Enumerable.Range(0, 10), Enumerable.Range(0, train.Count).Select(i => train.GetLabels(i)[0]).Distinct().Order());
        // Upstream's first training item is an ankle boot (label 9) on a black background.
        var first = train.Get(0);
        Assert.Equal(9, first.Label);
        Assert.Equal(0, first.Image[0, 0, 0]);
        Assert.True(first.Image.Pixels.Max() > 200);
    }

    [Fact]
    public void Raw_and_gzipped_files_read_the_same()
    {
        using var temp = new TempDirectory();
        foreach (var file in Directory.GetFiles(DataFixtures.FashionMnistSampleFolder, "t10k-*.gz"))
        {
            File.WriteAllBytes(temp.Combine(Path.GetFileNameWithoutExtension(file)), Gunzip(file));
        }

        var raw = FashionMnistDataset.Open(DatasetPart.Test, temp.Path);
        var gzipped = FashionMnistDataset.Open(DatasetPart.Test, DataFixtures.FashionMnistSampleFolder);

        Assert.EndsWith("t10k-images-idx3-ubyte", raw.ImagesFile);
        Assert.Equal(gzipped.Count, raw.Count);
        Assert.All(Enumerable.Range(0, raw.Count), i =>
        {
            Assert.Equal(gzipped.GetLabels(i), raw.GetLabels(i));
            Assert.Equal(gzipped.Get(i).Image.Pixels, raw.Get(i).Image.Pixels);
        });
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("gzip of a truncated file")]
    [InlineData("truncated gzip stream")]
    public void A_truncated_images_file_is_an_error_naming_it(string how)
    {
        using var temp = new TempDirectory();
        CopySubsetTestPart(temp.Path);
        string images = temp.Combine("t10k-images-idx3-ubyte.gz");
        byte[] idx = Gunzip(images);
        File.Delete(images);
        switch (how)
        {
            case "raw":
                images = temp.Combine("t10k-images-idx3-ubyte");
                File.WriteAllBytes(images, idx[..^100]);
                break;
            case "gzip of a truncated file":
                File.WriteAllBytes(images, Gzip(idx[..^784]));
                break;
            default:
                byte[] compressed = Gzip(idx);
                File.WriteAllBytes(images, compressed[..(compressed.Length / 2)]);
                break;
        }

        var error = Assert.Throws<DataFileException>(() => FashionMnistDataset.Open(DatasetPart.Test, temp.Path));

        Assert.Equal(images, error.FilePath);
        Assert.StartsWith(images + ": ", error.Message);
        Assert.True(error.Message.Contains("truncated"), error.Message);
    }

    [Fact]
    public void Extra_data_after_the_announced_values_is_an_error()
    {
        using var temp = new TempDirectory();
        CopySubsetTestPart(temp.Path);
        string labels = temp.Combine("t10k-labels-idx1-ubyte.gz");
        File.WriteAllBytes(labels, Gzip([.. Gunzip(labels), 1, 2, 3]));

        var error = Assert.Throws<DataFileException>(() => FashionMnistDataset.Open(DatasetPart.Test, temp.Path));

        Assert.Equal(labels, error.FilePath);
        Assert.Contains("after the 200 values", error.Message);
    }

    [Theory]
    [InlineData("magic", "not an IDX file")]
    [InlineData("type", "type 0x0D")]
    [InlineData("rank", "2 dimension(s), expected 3")]
    public void A_header_that_is_not_an_unsigned_byte_image_file_is_an_error_naming_it(string field, string message)
    {
        using var temp = new TempDirectory();
        CopySubsetTestPart(temp.Path);
        string images = temp.Combine("t10k-images-idx3-ubyte.gz");
        byte[] idx = Gunzip(images);
        switch (field)
        {
            case "magic": idx[0] = 0x1F; break;
            case "type": idx[2] = 0x0D; break;
            default: idx[3] = 2; break;
        }
        File.WriteAllBytes(images, Gzip(idx));

        var error = Assert.Throws<DataFileException>(() => FashionMnistDataset.Open(DatasetPart.Test, temp.Path));

        Assert.Equal(images, error.FilePath);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Labels_must_match_the_images_in_number_and_range()
    {
        using var temp = new TempDirectory();
        CopySubsetTestPart(temp.Path);
        string labels = temp.Combine("t10k-labels-idx1-ubyte.gz");
        byte[] idx = Gunzip(labels);

        byte[] fewer = idx[..^1];
        BinaryPrimitives.WriteInt32BigEndian(fewer.AsSpan(4), 199);
        File.WriteAllBytes(labels, Gzip(fewer));
        var count = Assert.Throws<DataFileException>(() => FashionMnistDataset.Open(DatasetPart.Test, temp.Path));
        Assert.Equal(labels, count.FilePath);
        Assert.Contains("199 labels for the 200 images", count.Message);

        idx[8 + 5] = 10;
        File.WriteAllBytes(labels, Gzip(idx));
        var range = Assert.Throws<DataFileException>(() => FashionMnistDataset.Open(DatasetPart.Test, temp.Path));
        Assert.Contains("label 10 at index 5", range.Message);
    }

    [Fact]
    public void An_explicit_folder_without_the_data_says_where_it_looked_and_how_to_get_it()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<DatasetNotFoundException>(() => FashionMnistDataset.Open(DatasetPart.Train, temp.Path));

        Assert.IsAssignableFrom<MissingPrerequisiteException>(error);
        Assert.Equal([temp.Path], error.Searched);
        Assert.Contains(temp.Path, error.Message);
        Assert.Contains($"data fetch fashion-mnist --to {temp.Path}", error.Message);
    }

    [Fact]
    public void A_file_missing_from_a_folder_that_holds_the_others_is_named()
    {
        using var temp = new TempDirectory();
        CopySubsetTestPart(temp.Path);
        File.Delete(temp.Combine("t10k-labels-idx1-ubyte.gz"));

        var error = Assert.Throws<FileNotFoundException>(() => FashionMnistDataset.Open(DatasetPart.Test, temp.Path));

        Assert.Equal(temp.Combine("t10k-labels-idx1-ubyte.gz"), error.FileName);
        Assert.Contains("t10k-labels-idx1-ubyte", error.Message);
        Assert.Contains(temp.Path, error.Message);
    }

    [Fact]
    public void The_embedded_sample_is_the_sample_folder_and_says_where_it_came_from()
    {
        foreach (var part in new[] { DatasetPart.Train, DatasetPart.Test })
        {
            var embedded = FashionMnistDataset.OpenSample(part);
            var files = FashionMnistDataset.Open(part, DataFixtures.FashionMnistSampleFolder);

            Assert.True(embedded.IsSample);
            Assert.Equal(FashionMnistDataset.SampleSource, embedded.Source);
            Assert.False(files.IsSample);
            Assert.Equal(DataFixtures.FashionMnistSampleFolder, files.Source);
            Assert.Equal(part == DatasetPart.Train ? FashionMnistDataset.SampleTrainCount : FashionMnistDataset.SampleTestCount, embedded.Count);
            Assert.Equal(files.Count, embedded.Count);
            Assert.All(Enumerable.Range(0, embedded.Count), i =>
            {
                Assert.Equal(files.GetLabels(i), embedded.GetLabels(i));
                Assert.Equal(files.Get(i).Image.Pixels, embedded.Get(i).Image.Pixels);
            });
        }
    }

    [Fact]
    public void An_idx_stream_reads_like_its_file_whether_or_not_it_can_seek()
    {
        string path = Path.Combine(DataFixtures.FashionMnistSampleFolder, "t10k-labels-idx1-ubyte.gz");
        var fromFile = IdxFile.ReadBytes(path, rank: 1);

        using var seekable = new MemoryStream(File.ReadAllBytes(path));
        var fromStream = IdxFile.ReadBytes(seekable, "labels", rank: 1);
        using var raw = new ForwardOnlyStream(Gunzip(path));
        var fromRaw = IdxFile.ReadBytes(raw, "labels", rank: 1);

        Assert.Equal(fromFile.Shape, fromStream.Shape);
        Assert.Equal(fromFile.Values, fromStream.Values);
        Assert.Equal(fromFile.Values, fromRaw.Values);
        var error = Assert.Throws<DataFileException>(() => IdxFile.ReadBytes(new MemoryStream([0, 0, 8, 1, 0, 0, 0, 5, 1]), "short", rank: 1));
        Assert.Equal("short", error.FilePath);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_header_announcing_more_images_than_the_file_holds_is_refused_before_allocating(bool gzip)
    {
        using var temp = new TempDirectory();
        string path = temp.Combine(gzip ? "bomb-idx3-ubyte.gz" : "bomb-idx3-ubyte");
        // 2,000,000 images of 28 × 28 announced by a 100-byte file.
        var bytes = new byte[100];
        bytes[2] = 8;
        bytes[3] = 3;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), 2_000_000);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), 28);
        using (var file = File.Create(path))
        using (Stream output = gzip ? new GZipStream(file, CompressionLevel.Optimal) : file)
        {
            output.Write(bytes);
        }
        long before = GC.GetTotalAllocatedBytes(precise: true);

        var error = Assert.Throws<DataFileException>(() => IdxFile.ReadBytes(path, rank: 3));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("2000000 × 28 × 28", error.Message);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 16 << 20, "the values were allocated");
    }

    [Fact]
    public void Three_channels_replicate_the_grey_value()
    {
        var grey = FashionMnistDataset.OpenSample(DatasetPart.Test);
        var rgb = (FashionMnistDataset)VisionDatasets.Open(VisionDatasets.FashionMnist,
            new VisionDatasetOptions { Part = DatasetPart.Test, Folder = DataFixtures.FashionMnistSampleFolder, Channels = 3 });

        var g = grey.Get(3).Image;
        var c = rgb.Get(3).Image;
        Assert.Equal(3, c.Channels);
        Assert.Equal(3, rgb.Channels);
        for (int y = 0; y < 28; y++)
        {
            for (int x = 0; x < 28; x++)
            {
                Assert.Equal([g[y, x, 0], g[y, x, 0], g[y, x, 0]], new[] { c[y, x, 0], c[y, x, 1], c[y, x, 2] });
            }
        }
    }

    private static void CopySubsetTestPart(string folder)
    {
        foreach (var file in Directory.GetFiles(DataFixtures.FashionMnistSampleFolder, "t10k-*.gz"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
    }

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>A stream that cannot seek, as a network or decompression stream.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return memory.ToArray();
    }
}
