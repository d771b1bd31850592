namespace Experiments.Vision.Data;

/// <summary>
/// The built-in data sets by name. A known set: a declaration such as
/// <c>[Values("fashion-mnist-sample", "fashion-mosaic-sample"), KnownIn(typeof(VisionDatasets))]</c> is checked at build
/// time (EXP006, with a "did you mean"), and each name's metadata (<c>kind</c>, <c>classes</c>, <c>channels</c>,
/// <c>image_size</c> where fixed, <c>train</c>/<c>test</c> counts) is readable by the generator. Folder-per-class and
/// labels-CSV data have no name: open them with <see cref="ImageFolderDataset.Open"/> and <see cref="LabelsCsvDataset.Open"/>.
/// </summary>
/// <remarks>
/// The <c>-sample</c> sets need nothing installed: they are made from the 1,000 training and 200 test images of
/// Fashion-MNIST that ship inside this library. The full sets find Fashion-MNIST where <see cref="FashionMnistDataset.Open"/>
/// looks (<c>$EXPERIMENTS_FASHION_MNIST</c>, <c>$EXPERIMENTS_DATA</c> or the user data folder, where <c>data fetch</c>
/// puts it, then Debian's package) and otherwise throw <see cref="DatasetNotFoundException"/>, which the runner
/// treats as "stop before the first trial and say how to get it".
/// </remarks>
[KnownValues]
public static class VisionDatasets
{
    /// <summary>All of Fashion-MNIST (<see cref="FashionMnistDataset"/>): 60,000 training and 10,000 test images, found or fetched.</summary>
    [KnownValue("kind=single-label", "classes=10", "channels=1", "image_size=28", "train=60000", "test=10000")]
    public const string FashionMnist = "fashion-mnist";

    /// <summary>The Fashion-MNIST sample that ships with the library: its first 1,000 training and first 200 test images.</summary>
    [KnownValue("kind=single-label", "classes=10", "channels=1", "image_size=28", "train=1000", "test=200", "sample=true")]
    public const string FashionMnistSample = "fashion-mnist-sample";

    /// <summary>
    /// Multi-label mosaics of Fashion-MNIST items (<see cref="FashionMosaicDataset"/>), standing in for photo
    /// sets with several labels per image such as Planet's satellite tiles: training canvases from the training images, test canvases from the test images.
    /// </summary>
    [KnownValue("kind=multi-label", "classes=10", "channels=1", "train=20000", "test=2000")]
    public const string FashionMosaic = "fashion-mosaic";

    /// <summary>The mosaics made from the packaged sample (training canvases from its 1,000 training images, test canvases from its 200 test images).</summary>
    [KnownValue("kind=multi-label", "classes=10", "channels=1", "train=2000", "test=500", "sample=true")]
    public const string FashionMosaicSample = "fashion-mosaic-sample";

    /// <summary>Procedural circles, squares and triangles, one per image (<see cref="ShapesDataset"/>); test data for the library's own tests.</summary>
    [KnownValue("kind=single-label", "classes=3", "channels=3", "procedural=true")]
    public const string Shapes = "shapes";

    /// <summary>
    /// Procedural images with one to three kinds of shape, labelled with the kinds present (<see cref="ShapesDataset"/>).
    /// Test data: models trained from scratch at small budgets do not learn it; use <see cref="FashionMosaicSample"/> in studies.
    /// </summary>
    [KnownValue("kind=multi-label", "classes=3", "channels=3", "procedural=true")]
    public const string ShapesMulti = "shapes-multi";

    /// <summary>Every name, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = [FashionMnist, FashionMnistSample, FashionMosaic, FashionMosaicSample, Shapes, ShapesMulti];

    /// <summary>Opens the data set called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    /// <exception cref="DatasetNotFoundException">A full Fashion-MNIST set is needed and not installed.</exception>
    public static IImageDataset Open(string name, VisionDatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        options ??= new VisionDatasetOptions();
        bool train = options.Part == DatasetPart.Train;
        int ProceduralCount() => options.Count ?? (train ? 2000 : 500);
        return name switch
        {
            FashionMnist => FashionMnistDataset.Open(options.Part, options.Folder, options.Channels ?? 1),
            FashionMnistSample => FashionMnistDataset.OpenSample(options.Part, options.Channels ?? 1),
            FashionMosaic => Mosaic(FashionMnistDataset.Open(options.Part, options.Folder), options, train ? 20000 : 2000),
            FashionMosaicSample => Mosaic(FashionMnistDataset.OpenSample(options.Part), options, train ? 2000 : 500),
            Shapes => new ShapesDataset(ProceduralCount(), options.ImageSize, options.Seed, multiLabel: false, options.Part, options.Channels ?? 3),
            ShapesMulti => new ShapesDataset(ProceduralCount(), options.ImageSize, options.Seed, multiLabel: true, options.Part, options.Channels ?? 3),
            _ => throw new ArgumentException($"Unknown data set '{name}'; known: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>Mosaics of <paramref name="source"/>: the layout of <see cref="VisionDatasetOptions.Mosaic"/>, a count and seed per part.</summary>
    private static FashionMosaicDataset Mosaic(IImageDataset source, VisionDatasetOptions options, int defaultCount)
    {
        var layout = options.Mosaic ?? new FashionMosaicOptions();
        return new FashionMosaicDataset(source, layout with
        {
            Count = options.Count ?? defaultCount,
            // Test canvases are laid out by another stream than training ones (their items differ anyway).
            Seed = options.Seed + (options.Part == DatasetPart.Train ? 0 : 1),
            Channels = options.Channels ?? layout.Channels,
        });
    }
}
