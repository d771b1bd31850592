namespace Experiments.Vision.Data;

/// <summary>
/// Fashion-MNIST (Zalando Research): 28×28 grey images of clothing in 10 classes, 60,000 for training and 10,000 for
/// testing, read from the four IDX files (<c>train-images-idx3-ubyte[.gz]</c>, <c>train-labels-idx1-ubyte[.gz]</c>,
/// <c>t10k-…</c>). <see cref="Open"/> finds them itself (<c>$EXPERIMENTS_DATA/fashion-mnist</c> or the user data
/// folder, where <c>dotnet run -- data fetch fashion-mnist</c> puts them, then Debian's <c>dataset-fashion-mnist</c>);
/// <see cref="OpenSample"/> reads the 1,000 + 200 image sample embedded in this library. The whole part is loaded
/// into memory at open (47 MB for training) and validated: magic numbers, dimensions, exact lengths, as many labels as
/// images, every label below 10.
/// </summary>
public sealed class FashionMnistDataset : IImageDataset
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the IDX files: the last folder <see cref="Open"/> looks in.</summary>
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>What <see cref="Source"/> says for the embedded sample.</summary>
    public const string SampleSource = "the sample shipped with Experiments.Vision";

    /// <summary>Images in the embedded sample's training part.</summary>
    public const int SampleTrainCount = 1000;

    /// <summary>Images in the embedded sample's test part.</summary>
    public const int SampleTestCount = 200;

    /// <summary>Embedded resource names are this prefix + the upstream file name (see the project file).</summary>
    private const string SampleResourcePrefix = "Experiments.Vision.Samples.fashion-mnist.";

    /// <summary>The classes in label order, as named by the upstream repository (zalandoresearch/fashion-mnist).</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private readonly byte[] _pixels;
    private readonly byte[] _labels;
    private readonly int _imageBytes;

    private FashionMnistDataset(DatasetPart part, string imagesFile, string labelsFile, IdxImages images, int channels, string source, bool isSample)
    {
        Part = part;
        ImagesFile = imagesFile;
        LabelsFile = labelsFile;
        Height = images.Height;
        Width = images.Width;
        _pixels = images.Pixels;
        _labels = images.Labels;
        _imageBytes = Height * Width;
        Channels = channels;
        Source = source;
        IsSample = isSample;
    }

    public DatasetPart Part { get; }

    /// <summary>The images IDX file that was read (for the sample, its resource name).</summary>
    public string ImagesFile { get; }

    /// <summary>The labels IDX file that was read (for the sample, its resource name).</summary>
    public string LabelsFile { get; }

    /// <summary>Where the data came from: the folder read, or <see cref="SampleSource"/>.</summary>
    public string Source { get; }

    /// <summary>True for the sample embedded in this library (<see cref="OpenSample"/>), false for the full data set.</summary>
    public bool IsSample { get; }

    public DataOrigin Origin => new(Source, IsSample);

    /// <summary>Image height in pixels (28).</summary>
    public int Height { get; }

    /// <summary>Image width in pixels (28).</summary>
    public int Width { get; }

    public int Count => _labels.Length;

    public IReadOnlyList<string> Classes => ClassNames;

    public bool IsMultiLabel => false;

    /// <summary>1 (the files are grey) unless opened with 3, which replicates the grey value into RGB.</summary>
    public int Channels { get; }

    /// <summary>Reads one part of Fashion-MNIST, from <paramref name="folder"/> or from the first place it is found.</summary>
    /// <param name="part">Training (60,000 images) or test (10,000).</param>
    /// <param name="folder">
    /// Folder holding the IDX files, used alone. Default: <c>$EXPERIMENTS_FASHION_MNIST</c> when set (alone), else
    /// <c>$EXPERIMENTS_DATA/fashion-mnist</c> (or, without <c>EXPERIMENTS_DATA</c>, the user data folder's
    /// <c>experiments/datasets/fashion-mnist</c>), then <see cref="DefaultFolder"/>. A <c>.gz</c> file is preferred to a raw one.
    /// </param>
    /// <param name="channels">1 (default) or 3.</param>
    /// <exception cref="DatasetNotFoundException">No folder looked at holds any Fashion-MNIST file; the message lists them and says how to get the data.</exception>
    /// <exception cref="FileNotFoundException">A file of the part is missing from a folder that holds others.</exception>
    /// <exception cref="DataFileException">A file is not a valid IDX file of the expected shape; the message names it.</exception>
    public static FashionMnistDataset Open(DatasetPart part = DatasetPart.Train, string? folder = null, int channels = 1)
        => OpenWith(FashionMnistLocator.FromEnvironment(), part, folder, channels);

    /// <summary>Reads one part of the sample embedded in this library: the first 1,000 training and 200 test images of Fashion-MNIST.</summary>
    /// <param name="part">Training (1,000 images) or test (200).</param>
    /// <param name="channels">1 (default) or 3.</param>
    public static FashionMnistDataset OpenSample(DatasetPart part = DatasetPart.Train, int channels = 1)
    {
        CheckChannels(channels);
        string imagesName = SampleResourcePrefix + FileName(part, images: true) + ".gz";
        string labelsName = SampleResourcePrefix + FileName(part, images: false) + ".gz";
        var images = IdxImages.Read(imagesName, labelsName, (name, rank) =>
        {
            using var stream = typeof(FashionMnistDataset).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"The Fashion-MNIST sample resource {name} is missing from Experiments.Vision (a build problem).");
            return IdxFile.ReadBytes(stream, name, rank);
        });
        return new FashionMnistDataset(part, imagesName, labelsName, images, channels, SampleSource, isSample: true);
    }

    /// <summary>
    /// <see cref="Open"/> with the folders to look in given (tests: no dependence on what is installed).
    /// </summary>
    internal static FashionMnistDataset OpenWith(FashionMnistLocator locator, DatasetPart part, string? folder, int channels)
    {
        CheckChannels(channels);
        string found = locator.Resolve(folder);
        string imagesFile = Find(found, FileName(part, images: true));
        string labelsFile = Find(found, FileName(part, images: false));
        var images = IdxImages.Read(imagesFile, labelsFile, IdxFile.ReadBytes);
        return new FashionMnistDataset(part, imagesFile, labelsFile, images, channels, found, isSample: false);
    }

    public ImageSample Get(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var grey = new ImageData(Width, Height, 1, _pixels.AsSpan(index * _imageBytes, _imageBytes).ToArray());
        return new ImageSample(grey.ToChannels(Channels), [_labels[index]]);
    }

    public int[] GetLabels(int index) => [_labels[index]];

    public string Describe(int index) => $"fashion-mnist {(Part == DatasetPart.Train ? "train" : "test")} #{index} ({(IsSample ? "sample" : ImagesFile)})";

    private static void CheckChannels(int channels)
    {
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "An image has 1 (grey) or 3 (RGB) channels.");
        }
    }

    private static string FileName(DatasetPart part, bool images)
        => $"{(part == DatasetPart.Train ? "train" : "t10k")}-{(images ? "images-idx3" : "labels-idx1")}-ubyte";

    private static string Find(string folder, string name)
    {
        foreach (string candidate in (string[])[Path.Combine(folder, name + ".gz"), Path.Combine(folder, name)])
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException(
            $"Fashion-MNIST file {name}(.gz) not found in {folder}, which holds other Fashion-MNIST files: "
            + "copy it there, or fetch the data set again (`dotnet run -- data fetch fashion-mnist`).",
            Path.Combine(folder, name + ".gz"));
    }

    /// <summary>One part's images and labels, read and checked against each other.</summary>
    private sealed record IdxImages(int Height, int Width, byte[] Pixels, byte[] Labels)
    {
        public static IdxImages Read(string imagesFile, string labelsFile, Func<string, int, (int[] Shape, byte[] Values)> read)
        {
            var (imageShape, pixels) = read(imagesFile, 3);
            var (labelShape, labels) = read(labelsFile, 1);
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
            return new IdxImages(imageShape[1], imageShape[2], pixels, labels);
        }
    }
}
