using System.Diagnostics;
using Experiments.Vision.Data;
using Experiments.Vision.Tests.Support;
using SkiaSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Data;

/// <summary>
/// A one-off measurement, not a check: images/s of the data pipeline alone (decode, a simple item transform,
/// batching, tensors) from JPEG files and from Fashion-MNIST. Runs only when asked:
/// <c>EXPERIMENTS_MEASURE_DATA_PIPELINE=1 dotnet test tests/Experiments.Vision.Tests --filter FullyQualifiedName~DataPipelineThroughput --logger "console;verbosity=detailed"</c>
/// </summary>
public sealed class DataPipelineThroughput(ITestOutputHelper output)
{
    private const string Switch = "EXPERIMENTS_MEASURE_DATA_PIPELINE";

    [MeasurementFact]
    public void Jpeg_files_500x375_squished_to_224()
    {
        using var temp = new TempDirectory();
        const int count = 1000;
        const int distinct = 50;
        var source = new ShapesDataset(distinct, imageSize: 500, seed: 1);
        Parallel.For(0, distinct, i =>
        {
            var square = source.Get(i);
            var image = new ImageData(500, 375, 3, square.Image.Pixels[..(500 * 375 * 3)]);
            string first = temp.Combine(source.Classes[square.Label], $"{i:0000}.jpg");
            DataFixtures.WriteImage(first, image, SKEncodedImageFormat.Jpeg, quality: 90);
            for (int copy = i + distinct; copy < count; copy += distinct)
            {
                File.Copy(first, temp.Combine(source.Classes[square.Label], $"{copy:0000}.jpg"));
            }
        });
        output.WriteLine($"{count} JPEG files, {Directory.EnumerateFiles(temp.Path, "*.jpg", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / count:N0} bytes each on average");

        Measure("JPEG 500×375, decode only (batches of 500×375)", ImageFolderDataset.Open(temp.Path), null, epochs: 1);

        Measure("JPEG 500×375 → squish 224×224 RGB", ImageFolderDataset.Open(temp.Path), Squish(224), epochs: 2);
    }

    [MeasurementFact]
    public void Fashion_mnist_from_the_Debian_package()
    {
        var train = DataFixtures.DebianFashionMnistInstalled ? FashionMnistDataset.Open(DatasetPart.Train, FashionMnistDataset.DefaultFolder) : FashionMnistDataset.OpenSample(DatasetPart.Train);
        Measure($"Fashion-MNIST ({train.Count:N0}) 28×28 grey, no item transform", train, null, epochs: 3);
        Measure($"Fashion-MNIST ({train.Count:N0}) → squish 64×64 RGB", train, ItemTransform.Compose(Squish(64), ItemTransform.From((i, _, _) => i.ToChannels(3))), epochs: 1);
    }

    private void Measure(string name, IImageDataset dataset, IItemTransform? transform, int epochs)
    {
        TorchRuntime.EnsureLoaded();
        var loader = new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = 64, Training = true, Seed = 1, ItemTransform = transform });
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            long images = 0;
            double checksum = 0;
            foreach (var batch in loader.Batches(epoch))
            {
                using var scope = NewDisposeScope();
                var (x, y) = batch.ToTensors();
                checksum += x[0, 0, 0, 0].item<float>() + y.shape[0];
                images += batch.Count;
            }
            clock.Stop();
            output.WriteLine($"{name}: epoch {epoch}: {images:N0} images in {clock.Elapsed.TotalSeconds:F2} s = {images / clock.Elapsed.TotalSeconds:N0} images/s "
                + $"({Environment.ProcessorCount} decode threads, batch 64, prefetch 2; checksum {checksum:F1})");
        }
    }

    /// <summary>A plain bilinear squish (no antialiasing): stands in for the transforms library's resize.</summary>
    private static IItemTransform Squish(int size) => ItemTransform.From((image, _, _) =>
    {
        var pixels = new byte[size * size * image.Channels];
        double sx = (double)image.Width / size, sy = (double)image.Height / size;
        for (int y = 0; y < size; y++)
        {
            double fy = Math.Clamp(((y + 0.5) * sy) - 0.5, 0, image.Height - 1);
            int y0 = (int)fy, y1 = Math.Min(y0 + 1, image.Height - 1);
            double wy = fy - y0;
            for (int x = 0; x < size; x++)
            {
                double fx = Math.Clamp(((x + 0.5) * sx) - 0.5, 0, image.Width - 1);
                int x0 = (int)fx, x1 = Math.Min(x0 + 1, image.Width - 1);
                double wx = fx - x0;
                for (int c = 0; c < image.Channels; c++)
                {
                    double top = (image[y0, x0, c] * (1 - wx)) + (image[y0, x1, c] * wx);
                    double bottom = (image[y1, x0, c] * (1 - wx)) + (image[y1, x1, c] * wx);
                    pixels[(((y * size) + x) * image.Channels) + c] = (byte)Math.Round((top * (1 - wy)) + (bottom * wy));
                }
            }
        }
        return new ImageData(size, size, image.Channels, pixels);
    });

    private sealed class MeasurementFactAttribute : FactAttribute
    {
        public MeasurementFactAttribute()
        {
            if (Environment.GetEnvironmentVariable(Switch) != "1")
            {
                Skip = $"a measurement, not a check: set {Switch}=1 to run it";
            }
        }
    }
}
