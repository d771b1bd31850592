namespace Experiments.Vision.Data;

/// <summary>
/// The built-in data sets by name. A known set: a declaration such as
/// <c>[Values("fashion-mnist", "shapes"), KnownIn(typeof(VisionDatasets))]</c> is checked at build time (EXP006, with a
/// "did you mean"), and each name's metadata (<c>kind</c>, <c>classes</c>, <c>channels</c>, <c>image_size</c> where fixed)
/// is readable by the generator. Folder-per-class and labels-CSV data have no name: open them with
/// <see cref="ImageFolderDataset.Open"/> and <see cref="LabelsCsvDataset.Open"/>.
/// </summary>
[KnownValues]
public static class VisionDatasets
{
    /// <summary>Fashion-MNIST IDX files (<see cref="FashionMnistDataset"/>), by default from Debian's <c>dataset-fashion-mnist</c>.</summary>
    [KnownValue("kind=single-label", "classes=10", "channels=1", "image_size=28", "train=60000", "test=10000")]
    public const string FashionMnist = "fashion-mnist";

    /// <summary>Procedural circles, squares and triangles, one per image (<see cref="ShapesDataset"/>).</summary>
    [KnownValue("kind=single-label", "classes=3", "channels=3", "procedural=true")]
    public const string Shapes = "shapes";

    /// <summary>Procedural images with one to three kinds of shape, labelled with the kinds present (<see cref="ShapesDataset"/>).</summary>
    [KnownValue("kind=multi-label", "classes=3", "channels=3", "procedural=true")]
    public const string ShapesMulti = "shapes-multi";

    /// <summary>Every name, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = [FashionMnist, Shapes, ShapesMulti];

    /// <summary>Opens the data set called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static IImageDataset Open(string name, VisionDatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        options ??= new VisionDatasetOptions();
        int ProceduralCount() => options.Count ?? (options.Part == DatasetPart.Train ? 2000 : 500);
        return name switch
        {
            FashionMnist => FashionMnistDataset.Open(options.Part, options.Folder, options.Channels ?? 1),
            Shapes => new ShapesDataset(ProceduralCount(), options.ImageSize, options.Seed, multiLabel: false, options.Part, options.Channels ?? 3),
            ShapesMulti => new ShapesDataset(ProceduralCount(), options.ImageSize, options.Seed, multiLabel: true, options.Part, options.Channels ?? 3),
            _ => throw new ArgumentException($"Unknown data set '{name}'; known: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
