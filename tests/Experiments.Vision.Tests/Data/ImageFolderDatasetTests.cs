using System.Buffers.Binary;
using Experiments.Vision.Data;
using Experiments.Vision.Tests.Support;
using SkiaSharp;

namespace Experiments.Vision.Tests.Data;

public sealed class ImageFolderDatasetTests
{
    [Fact]
    public void Classes_are_the_sub_folders_and_PNG_and_JPEG_files_decode()
    {
        using var temp = new TempDirectory();
        DataFixtures.WriteImage(temp.Combine("dog", "b.png"), DataFixtures.Gradient(40, 30), SKEncodedImageFormat.Png);
        DataFixtures.WriteImage(temp.Combine("dog", "nested", "a.jpg"), DataFixtures.Solid(16, 12, 200, 30, 30), SKEncodedImageFormat.Jpeg);
        DataFixtures.WriteImage(temp.Combine("cat", "c.JPEG"), DataFixtures.Solid(20, 20, 20, 40, 220), SKEncodedImageFormat.Jpeg);
        File.WriteAllText(temp.Combine("cat", "notes.txt"), "not an image");
        DataFixtures.WriteImage(temp.Combine("cat", ".hidden.png"), DataFixtures.Solid(4, 4, 0, 0, 0), SKEncodedImageFormat.Png);
        Directory.CreateDirectory(temp.Combine("empty"));

        var dataset = ImageFolderDataset.Open(temp.Path);

        Assert.Equal(["cat", "dog"], dataset.Classes);
        Assert.Equal([temp.Combine("cat", "c.JPEG"), temp.Combine("dog", "b.png"), temp.Combine("dog", "nested", "a.jpg")], dataset.Files);
        Assert.Equal([[0], [1], [1]], Enumerable.Range(0, 3).Select(dataset.GetLabels));
        Assert.Equal(dataset.Files[2], dataset.Describe(2));

        var png = dataset.Get(1);
        Assert.Equal(1, png.Label);
        Assert.Equal((40, 30, 3), (png.Image.Width, png.Image.Height, png.Image.Channels));
        Assert.Equal(DataFixtures.Gradient(40, 30).Pixels, png.Image.Pixels);   // PNG is lossless

        var jpeg = dataset.Get(0).Image;
        Assert.Equal((20, 20), (jpeg.Width, jpeg.Height));
        Assert.InRange(jpeg[10, 10, 0], 10, 30);
        Assert.InRange(jpeg[10, 10, 2], 210, 230);
    }

    [Fact]
    public void Grey_decoding_uses_the_luma_weights()
    {
        using var temp = new TempDirectory();
        DataFixtures.WriteImage(temp.Combine("red", "r.png"), DataFixtures.Solid(3, 3, 255, 0, 0), SKEncodedImageFormat.Png);

        var image = ImageFolderDataset.Open(temp.Path, channels: 1).Get(0).Image;

        Assert.Equal(1, image.Channels);
        Assert.All(image.Pixels, v => Assert.Equal(76, v));   // PIL: L = 299/1000 × 255
    }

    [Fact]
    public void Random_bytes_named_jpg_are_an_error_naming_the_file()
    {
        using var temp = new TempDirectory();
        DataFixtures.WriteImage(temp.Combine("ok", "fine.png"), DataFixtures.Solid(8, 8, 1, 2, 3), SKEncodedImageFormat.Png);
        DataFixtures.WriteGarbage(temp.Combine("ok", "corrupt.jpg"));
        var dataset = ImageFolderDataset.Open(temp.Path);

        var error = Assert.Throws<DataFileException>(() => dataset.Get(0));

        Assert.Equal(temp.Combine("ok", "corrupt.jpg"), error.FilePath);
        Assert.StartsWith(temp.Combine("ok", "corrupt.jpg") + ": not a readable image", error.Message);
    }

    [Theory]
    [InlineData(0.1)]   // cut in the header
    [InlineData(0.9)]   // cut in the scan data
    public void A_truncated_JPEG_is_an_error_naming_the_file(double kept)
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("a", "cut.jpg");
        DataFixtures.WriteImage(path, DataFixtures.Gradient(64, 64), SKEncodedImageFormat.Jpeg);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * kept)]);

        var error = Assert.Throws<DataFileException>(() => ImageFolderDataset.Open(temp.Path).Get(0));

        Assert.Equal(path, error.FilePath);
        Assert.Equal($"{path}: the image data ends early (truncated or corrupt file)", error.Message);
    }

    [Fact]
    public void A_PNG_header_declaring_more_pixels_than_its_data_can_hold_is_refused_before_decoding()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("a", "bomb.png");
        DataFixtures.WriteImage(path, DataFixtures.Gradient(8, 8), SKEncodedImageFormat.Png);
        byte[] bytes = File.ReadAllBytes(path);
        // IHDR is the first chunk: length (4), "IHDR" (4), width (4), height (4), …, CRC over type and data.
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), 12_000);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), 12_000);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(29), Crc32(bytes.AsSpan(12, 17)));
        File.WriteAllBytes(path, bytes);
        long before = GC.GetTotalAllocatedBytes(precise: true);

        var error = Assert.Throws<DataFileException>(() => ImageDecoder.Decode(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("declares 12000×12000 pixels", error.Message);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 16 << 20, "the pixel buffer was allocated");
    }

    [Fact]
    public void A_large_uniform_PNG_still_decodes()
    {
        // 2,100 × 2,100 of one colour compresses about 1000:1, the most a real file does: the bound must let it through.
        using var temp = new TempDirectory();
        string path = temp.Combine("a", "flat.png");
        using (var bitmap = new SKBitmap(2100, 2100, SKColorType.Rgba8888, SKAlphaType.Unpremul))
        {
            bitmap.Erase(new SKColor(10, 20, 30));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var stream = File.Create(path);
            bitmap.Encode(stream, SKEncodedImageFormat.Png, 100);
        }

        var image = ImageDecoder.Decode(path);

        Assert.Equal((2100, 2100), (image.Width, image.Height));
        Assert.Equal(30, image.Pixels[^1]);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }
        return ~crc;
    }

    [Fact]
    public void An_empty_file_is_an_error_naming_it()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("a"));
        File.WriteAllBytes(temp.Combine("a", "empty.png"), []);

        var error = Assert.Throws<DataFileException>(() => ImageDecoder.Decode(temp.Combine("a", "empty.png")));

        Assert.Equal(temp.Combine("a", "empty.png") + ": the file is empty", error.Message);
    }

    [Fact]
    public void The_loader_stops_at_a_corrupt_image_by_default_naming_it()
    {
        using var temp = new TempDirectory();
        WriteTenImagesOneCorrupt(temp);
        var loader = new ImageDataLoader(ImageFolderDataset.Open(temp.Path), new DataLoaderOptions { BatchSize = 4, DecodeThreads = 2 });

        var error = Assert.Throws<DataFileException>(() => loader.Batches().ToList());

        Assert.Equal(temp.Combine("b", "02.jpg"), error.FilePath);
    }

    [Fact]
    public void With_the_option_the_loader_skips_corrupt_images_and_counts_them()
    {
        using var temp = new TempDirectory();
        WriteTenImagesOneCorrupt(temp);
        var dataset = ImageFolderDataset.Open(temp.Path);
        var loader = new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = 4, DecodeThreads = 2, SkipUnreadable = true });

        var first = loader.Batches(epoch: 0).ToList();
        var second = loader.Batches(epoch: 1).ToList();

        Assert.Equal([4, 3, 2], first.Select(b => b.Count));   // index 7 left out of the second batch
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 8, 9], first.SelectMany(b => b.Indices));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1], first.SelectMany(b => b.Labels).Select(l => l[0]));
        Assert.Equal(9, second.Sum(b => b.Count));
        Assert.Equal(1, loader.SkippedCount);                    // counted once, not once per epoch
        Assert.Equal([temp.Combine("b", "02.jpg")], loader.Skipped);
    }

    /// <summary>a/00–04.jpg and b/00–04.jpg (indices 0–9), of which b/02.jpg (index 7) is random bytes.</summary>
    private static void WriteTenImagesOneCorrupt(TempDirectory temp)
    {
        for (int i = 0; i < 10; i++)
        {
            string path = temp.Combine(i < 5 ? "a" : "b", $"{i % 5:00}.jpg");
            if (i == 7)
            {
                DataFixtures.WriteGarbage(path);
                continue;
            }
            DataFixtures.WriteImage(path, DataFixtures.Solid(8, 8, (byte)(i * 20), 0, 0), SKEncodedImageFormat.Jpeg);
        }
    }
}
