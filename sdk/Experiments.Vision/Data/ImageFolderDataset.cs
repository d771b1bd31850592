namespace Experiments.Vision.Data;

/// <summary>
/// Images stored one folder per class (<c>root/cat/001.jpg</c>, <c>root/dog/…</c>), as fastai's
/// <c>ImageDataLoaders.from_folder</c> with <c>parent_label</c>. Each immediate sub-folder of the root that holds at
/// least one image is a class (ordinal order of names); its images are found recursively, in ordinal path order,
/// so the same tree always gives the same indices. Hidden files and folders (names starting with '.') are ignored.
/// </summary>
public sealed class ImageFolderDataset : IImageDataset
{
    private readonly string[] _files;
    private readonly int[] _labels;

    private ImageFolderDataset(string root, string[] classes, string[] files, int[] labels, int channels)
    {
        Root = root;
        Classes = classes;
        _files = files;
        _labels = labels;
        Channels = channels;
    }

    /// <summary>The folder whose sub-folders are the classes (full path).</summary>
    public string Root { get; }

    public int Count => _files.Length;

    public IReadOnlyList<string> Classes { get; }

    public bool IsMultiLabel => false;

    public int Channels { get; }

    /// <summary>The image file of every item, in index order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Lists the images under <paramref name="root"/> (nothing is decoded yet).</summary>
    /// <param name="root">Folder with one sub-folder per class.</param>
    /// <param name="channels">3 to decode as RGB (default), 1 as grey.</param>
    /// <exception cref="DirectoryNotFoundException">The root folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No sub-folder holds an image.</exception>
    public static ImageFolderDataset Open(string root, int channels = 3)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "An image has 1 (grey) or 3 (RGB) channels.");
        }
        root = Path.GetFullPath(root);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Image folder not found: {root}");
        }

        var visible = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = FileAttributes.Hidden, IgnoreInaccessible = false };
        var recursive = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden, IgnoreInaccessible = false };
        var classes = new List<string>();
        var files = new List<string>();
        var labels = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories(root, "*", visible).Order(StringComparer.Ordinal))
        {
            var images = Directory.EnumerateFiles(folder, "*", recursive)
                .Where(f => ImageDecoder.IsImageFile(f) && !IsUnderHiddenFolder(folder, f))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (images.Count == 0)
            {
                continue;
            }
            files.AddRange(images);
            labels.AddRange(Enumerable.Repeat(classes.Count, images.Count));
            classes.Add(Path.GetFileName(folder));
        }
        if (files.Count == 0)
        {
            throw new InvalidDataException($"No images found in the class folders of {root} (expected {root}/<class>/<image>.jpg|.png|…).");
        }
        return new ImageFolderDataset(root, [.. classes], [.. files], [.. labels], channels);
    }

    public ImageSample Get(int index) => new(ImageDecoder.Decode(_files[index], Channels), [_labels[index]]);

    public int[] GetLabels(int index) => [_labels[index]];

    public string Describe(int index) => _files[index];

    // AttributesToSkip = Hidden skips dot-files on Unix; a file below a dot-folder deeper down is excluded here.
    private static bool IsUnderHiddenFolder(string classFolder, string file)
        => Path.GetRelativePath(classFolder, file).Split(Path.DirectorySeparatorChar).SkipLast(1).Any(part => part.StartsWith('.'));
}
