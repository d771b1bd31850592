namespace Experiments.Vision.Data;

/// <summary>
/// Fashion-MNIST (Zalando Research): 28×28 grey images of clothing in 10 classes, 60,000 for training and 10,000 for
/// testing, read from the four IDX files (<c>train-images-idx3-ubyte[.gz]</c>, <c>train-labels-idx1-ubyte[.gz]</c>,
/// <c>t10k-…</c>). The default folder is where Debian's <c>dataset-fashion-mnist</c> package installs them. The whole
/// part is loaded into memory at open (47 MB for training) and validated: magic numbers, dimensions, exact lengths,
/// as many labels as images, every label below 10.
/// </summary>
public sealed class FashionMnistDataset : IImageDataset
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the IDX files.</summary>
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The classes in label order, as named by the upstream repository (zalandoresearch/fashion-mnist).</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private readonly byte[] pixels;
    private readonly byte[] labels;
    private readonly int imageBytes;

    private FashionMnistDataset(DatasetPart part, string imagesFile, string labelsFile, int height, int width, byte[] pixels, byte[] labels, int channels)
    {
        Part = part;
        ImagesFile = imagesFile;
        LabelsFile = labelsFile;
        Height = height;
        Width = width;
        this.pixels = pixels;
        this.labels = labels;
        imageBytes = height * width;
        Channels = channels;
    }

    public DatasetPart Part { get; }

    /// <summary>The images IDX file that was read.</summary>
    public string ImagesFile { get; }

    /// <summary>The labels IDX file that was read.</summary>
    public string LabelsFile { get; }

    /// <summary>Image height in pixels (28).</summary>
    public int Height { get; }

    /// <summary>Image width in pixels (28).</summary>
    public int Width { get; }

    public int Count => labels.Length;

    public IReadOnlyList<string> Classes => ClassNames;

    public bool IsMultiLabel => false;

    /// <summary>1 (the files are grey) unless opened with 3, which replicates the grey value into RGB.</summary>
    public int Channels { get; }

    /// <summary>Reads one part of Fashion-MNIST.</summary>
    /// <param name="part">Training (60,000 images) or test (10,000).</param>
    /// <param name="folder">Folder holding the IDX files; default <see cref="DefaultFolder"/>. A <c>.gz</c> file is preferred to a raw one.</param>
    /// <param name="channels">1 (default) or 3.</param>
    /// <exception cref="FileNotFoundException">A file of the part is missing from the folder.</exception>
    /// <exception cref="DataFileException">A file is not a valid IDX file of the expected shape; the message names it.</exception>
    public static FashionMnistDataset Open(DatasetPart part = DatasetPart.Train, string? folder = null, int channels = 1)
    {
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "An image has 1 (grey) or 3 (RGB) channels.");
        }
        folder = Path.GetFullPath(folder ?? DefaultFolder);
        string prefix = part == DatasetPart.Train ? "train" : "t10k";
        string imagesFile = Find(folder, $"{prefix}-images-idx3-ubyte");
        string labelsFile = Find(folder, $"{prefix}-labels-idx1-ubyte");

        var (imageShape, pixels) = IdxFile.ReadBytes(imagesFile, rank: 3);
        var (labelShape, labels) = IdxFile.ReadBytes(labelsFile, rank: 1);
        if (imageShape[1] == 0 || imageShape[2] == 0)
        {
            throw new DataFileException(imagesFile, $"images of {imageShape[1]}×{imageShape[2]} pixels");
        }
        if (imageShape[0] != labelShape[0])
        {
            throw new DataFileException(labelsFile, $"{labelShape[0]:N0} labels for the {imageShape[0]:N0} images of {imagesFile}");
        }
        int bad = Array.FindIndex(labels, l => l >= ClassNames.Count);
        if (bad >= 0)
        {
            throw new DataFileException(labelsFile, $"label {labels[bad]} at index {bad} is not one of the {ClassNames.Count} classes");
        }
        return new FashionMnistDataset(part, imagesFile, labelsFile, imageShape[1], imageShape[2], pixels, labels, channels);
    }

    public ImageSample Get(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var grey = new ImageData(Width, Height, 1, pixels.AsSpan(index * imageBytes, imageBytes).ToArray());
        return new ImageSample(grey.ToChannels(Channels), [labels[index]]);
    }

    public int[] GetLabels(int index) => [labels[index]];

    public string Describe(int index) => $"fashion-mnist {(Part == DatasetPart.Train ? "train" : "test")} #{index} ({ImagesFile})";

    private static string Find(string folder, string name)
    {
        foreach (string candidate in (string[])[Path.Combine(folder, name + ".gz"), Path.Combine(folder, name)])
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        string hint = folder == DefaultFolder
            ? " Install the Debian package dataset-fashion-mnist, or pass the folder that holds the files."
            : "";
        throw new FileNotFoundException($"Fashion-MNIST file {name}(.gz) not found in {folder}.{hint}", Path.Combine(folder, name + ".gz"));
    }
}
