using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Experiments.Benchmarks.Measurement;
using Experiments.Benchmarks.Reporting;
using Experiments.Vision;
using Experiments.Vision.Data;
using Experiments.Vision.Transforms;
using SkiaSharp;
using static TorchSharp.torch;

namespace Experiments.Benchmarks.Sections;

/// <summary>
/// Issue 6 item 2 (data): images/s of the data pipeline alone — decode, item transform, batching, tensors — from JPEG
/// files and from Fashion-MNIST, with one decoding thread and with one per core; and BenchmarkDotNet micro-benchmarks
/// of its single steps (JPEG decode, item resize, bytes → tensor, batch augmentation, normalisation).
/// </summary>
public static class DataPipelineSection
{
    public const int JpegWidth = 500;
    public const int JpegHeight = 375;

    public static void Run(RunContext context)
    {
        var options = context.Options;
        using var jpegs = JpegFolder.Create(options.JpegCount);
        RunReport.Progress($"data: {options.JpegCount} JPEG files {JpegWidth}×{JpegHeight} written to {jpegs.Path} ({jpegs.AverageBytes:N0} bytes each on average)");

        var table = new ResultTable("data", "Data pipeline alone (ImageDataLoader, batch 64, prefetch 2; the consumer converts each batch to tensors)",
            "source", "item transform", "images", "decode threads", "images/s", "images/s per decode thread", "ms per image per thread", "scaling vs 1 thread");
        int cores = Environment.ProcessorCount;
        int epochs = options.Profile == "full" ? 3 : 2;
        var fashion = new SubsetDataset(TrainingData.TrainRgb, Enumerable.Range(0, Math.Min(options.FashionMnistCount, TrainingData.Train.Count)));
        var fashionGreySubset = new SubsetDataset(TrainingData.Train, fashion.Indices);
        var cases = new (string Source, string Transform, IImageDataset Dataset, IItemTransform? Item)[]
        {
            ($"JPEG {JpegWidth}×{JpegHeight} RGB", "Resize(224) crop", ImageFolderDataset.Open(jpegs.Path), new Resize(224)),
            ("Fashion-MNIST 28×28 → 3 channels", "Resize(64) crop", fashion, new Resize(64)),
            ("Fashion-MNIST 28×28 grey", "none", fashionGreySubset, null),
        };
        foreach (var (source, transform, dataset, item) in cases)
        {
            double? single = null;
            foreach (int threads in cores > 1 ? new[] { 1, cores } : [1])
            {
                RunReport.Progress($"data: {source}, {transform}, {threads} decode thread(s)");
                var rate = LoaderRate(dataset, item, threads, epochs);
                single ??= rate.Median;
                table.Add(source, transform, dataset.Count, threads, rate.Median, rate.Median / threads, 1000.0 * threads / rate.Median, rate.Median / single.Value);
            }
        }
        table.Note($"One untimed epoch, then the median of {epochs} timed epochs. The loader also runs a producer thread, and the consuming loop "
            + "(ImageBatch.ToTensors) runs on the main thread: with one decode thread the process still uses more than one core.");
        table.Note($"Data: {TrainingData.Source}; JPEGs written with SkiaSharp (quality 90) to a temporary folder, read back through the page cache.");
        context.Report.Add(table);

        TransformBenchmarks.Jpeg = File.ReadAllBytes(Directory.EnumerateFiles(jpegs.Path, "*.jpg", SearchOption.AllDirectories).First());
        RunReport.Progress("data: micro-benchmarks of the single steps (BenchmarkDotNet)");
        var micro = MicroBenchmarks.Run(options, "transforms", typeof(TransformBenchmarks));
        var steps = new ResultTable("data-steps", "Single steps of the data pipeline (BenchmarkDotNet, one thread)",
            "step", "median µs", "min µs", "max µs", "images/s");
        foreach (var result in micro)
        {
            var per = TransformBenchmarks.ImagesPerOperation(result.Method);
            steps.Add(TransformBenchmarks.Describe(result.Method), result.Nanoseconds.Median / 1e3, result.Nanoseconds.Min / 1e3, result.Nanoseconds.Max / 1e3,
                per * 1e9 / result.Nanoseconds.Median);
        }
        steps.Note($"BenchmarkDotNet in-process, {options.MicroWarmupCount} warm-up and {options.MicroIterationCount} measured iterations of ≥ {options.MicroIterationMilliseconds:0} ms; "
            + $"tensor steps run on LibTorch's {MicroBenchmarks.TorchThreads} intra-op thread(s).");
        context.Report.Add(steps);
    }

    private static Stats LoaderRate(IImageDataset dataset, IItemTransform? item, int threads, int epochs)
    {
        var loader = new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = 64, Training = true, Seed = 1, ItemTransform = item, DecodeThreads = threads });
        var rates = new List<double>();
        for (int epoch = 0; epoch <= epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            long images = 0;
            foreach (var batch in loader.Batches(epoch))
            {
                using var scope = NewDisposeScope();
                _ = batch.ToTensors();
                images += batch.Count;
            }
            if (epoch > 0)
            {
                rates.Add(images / clock.Elapsed.TotalSeconds);
            }
        }
        return Stats.Of(rates);
    }

    /// <summary>A temporary folder of JPEG files in two class folders: a few distinct painted images, copied to the count.</summary>
    private sealed class JpegFolder : IDisposable
    {
        private JpegFolder(string path, long averageBytes)
        {
            Path = path;
            AverageBytes = averageBytes;
        }

        public string Path { get; }

        public long AverageBytes { get; }

        public static JpegFolder Create(int count)
        {
            string root = Directory.CreateTempSubdirectory("experiments-bench-jpeg-").FullName;
            const int distinct = 16;
            var encoded = Enumerable.Range(0, distinct).AsParallel().AsOrdered().Select(Paint).ToArray();
            long bytes = 0;
            for (int i = 0; i < count; i++)
            {
                string folder = System.IO.Path.Combine(root, i % 2 == 0 ? "even" : "odd");
                Directory.CreateDirectory(folder);
                var data = encoded[i % distinct];
                File.WriteAllBytes(System.IO.Path.Combine(folder, $"{i:00000}.jpg"), data);
                bytes += data.Length;
            }
            return new JpegFolder(root, count > 0 ? bytes / count : 0);
        }

        /// <summary>A photo-like test image: gradient, shapes, fine noise (so the JPEG is neither trivial nor pure noise).</summary>
        private static byte[] Paint(int seed)
        {
            var random = new Random(seed);
            using var bitmap = new SKBitmap(JpegWidth, JpegHeight, SKColorType.Rgba8888, SKAlphaType.Opaque);
            using (var canvas = new SKCanvas(bitmap))
            {
                using var background = new SKPaint
                {
                    Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(JpegWidth, JpegHeight),
                        [new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)), new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))],
                        SKShaderTileMode.Clamp),
                };
                canvas.DrawRect(0, 0, JpegWidth, JpegHeight, background);
                using var paint = new SKPaint { IsAntialias = true };
                for (int s = 0; s < 12; s++)
                {
                    paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                    float x = random.Next(JpegWidth), y = random.Next(JpegHeight), r = 10 + random.Next(80);
                    if (s % 2 == 0)
                    {
                        canvas.DrawCircle(x, y, r, paint);
                    }
                    else
                    {
                        canvas.DrawRect(x - r, y - r, 2 * r, 1.3f * r, paint);
                    }
                }
            }
            var pixels = bitmap.GetPixelSpan().ToArray();
            for (int i = 0; i < pixels.Length; i++)
            {
                if (i % 4 != 3)
                {
                    pixels[i] = (byte)Math.Clamp(pixels[i] + random.Next(-12, 13), 0, 255);
                }
            }
            using var noisy = new SKBitmap(JpegWidth, JpegHeight, SKColorType.Rgba8888, SKAlphaType.Opaque);
            System.Runtime.InteropServices.Marshal.Copy(pixels, 0, noisy.GetPixels(), pixels.Length);
            using var image = SKImage.FromBitmap(noisy);
            using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
            return data.ToArray();
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless.
            }
        }
    }
}

/// <summary>BenchmarkDotNet cases of the data pipeline's single steps (one image, or one batch of 64 at 64 px).</summary>
public class TransformBenchmarks
{
    public static byte[] Jpeg { get; set; } = [];

    private const int BatchSize = 64;
    private readonly Random _random = new(1);
    private ImageData _decoded;
    private ImageData _mnist;
    private ImageBatch? _batch;
    private Tensor? _images;
    private BatchAugmentation? _augmentation;
    private readonly Resize _resize224 = new(224);
    private readonly Resize _resize64 = new(64);

    public static double ImagesPerOperation(string method) => method is nameof(BytesToTensor) or nameof(Augment) or nameof(Normalize) ? BatchSize : 1;

    public static string Describe(string method) => method switch
    {
        nameof(DecodeJpeg) => $"decode JPEG {DataPipelineSection.JpegWidth}×{DataPipelineSection.JpegHeight} (SkiaSharp)",
        nameof(ResizeJpeg) => $"Resize(224) crop of a {DataPipelineSection.JpegWidth}×{DataPipelineSection.JpegHeight} RGB image",
        nameof(ResizeMnist) => "Resize(64) crop of a 28×28 3-channel image",
        nameof(BytesToTensor) => $"batch bytes → float tensor [{BatchSize}, 3, 64, 64]",
        nameof(Augment) => $"fastai batch augmentation (one grid_sample) [{BatchSize}, 3, 64, 64]",
        nameof(Normalize) => $"ImageNet normalisation [{BatchSize}, 3, 64, 64]",
        _ => method,
    };

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureLoaded();
        if (MicroBenchmarks.TorchThreads > 0)
        {
            set_num_threads(MicroBenchmarks.TorchThreads);
        }
        _decoded = ImageDecoder.Decode(Jpeg, "benchmark.jpg");
        _mnist = TrainingData.TrainRgb.Get(0).Image;
        _batch = new ImageDataLoader(new SubsetDataset(TrainingData.TrainRgb, Enumerable.Range(0, BatchSize)), new DataLoaderOptions { BatchSize = BatchSize, ItemTransform = new Resize(64) }).Batches().Single();
        _images = _batch.ImagesToTensor();
        _augmentation = new BatchAugmentation(AugmentationOptions.Default, seed: 1);
    }

    [Benchmark]
    public int DecodeJpeg() => ImageDecoder.Decode(Jpeg, "benchmark.jpg").Width;

    [Benchmark]
    public int ResizeJpeg() => _resize224.Apply(_decoded, _random, training: true).Width;

    [Benchmark]
    public int ResizeMnist() => _resize64.Apply(_mnist, _random, training: true).Width;

    [Benchmark]
    public void BytesToTensor()
    {
        using var x = _batch!.ImagesToTensor();
    }

    [Benchmark]
    public void Augment()
    {
        using var scope = NewDisposeScope();
        _augmentation!.Apply(_images!, training: true);
    }

    [Benchmark]
    public void Normalize()
    {
        using var scope = NewDisposeScope();
        Normalization.ImageNet.Normalize(_images!);
    }

    [GlobalCleanup]
    public void Cleanup() => _images?.Dispose();
}
