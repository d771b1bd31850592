namespace Experiments.Vision.Data;

/// <summary>
/// Images listed in a CSV with their labels, single-label (<c>file,label</c>) or multi-label with a delimiter
/// (<c>image_name,tags</c> / <c>train_0,haze primary</c>). Classes are the distinct labels in ordinal order (fastai's
/// vocabulary order). Rows keep the CSV's order. The file names must stay inside the image folder: an absolute path or
/// one that climbs out of it (<c>../</c>) is an error naming the CSV line, so a labels file cannot make the loader read
/// arbitrary files. Image files are checked when decoded, not when the CSV is opened.
/// </summary>
public sealed class LabelsCsvDataset : IImageDataset
{
    private readonly string[] _files;
    private readonly int[][] _labels;

    private LabelsCsvDataset(string csvPath, string imageFolder, string[] classes, string[] files, int[][] labels, bool multiLabel, int channels)
    {
        CsvPath = csvPath;
        ImageFolder = imageFolder;
        Classes = classes;
        _files = files;
        _labels = labels;
        IsMultiLabel = multiLabel;
        Channels = channels;
    }

    /// <summary>The labels file (full path).</summary>
    public string CsvPath { get; }

    /// <summary>The folder the file names are relative to (full path).</summary>
    public string ImageFolder { get; }

    public int Count => _files.Length;

    public IReadOnlyList<string> Classes { get; }

    public bool IsMultiLabel { get; }

    public int Channels { get; }

    /// <summary>The image file of every item, in index (CSV row) order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Reads the labels CSV (nothing is decoded yet).</summary>
    /// <exception cref="DataFileException">The CSV is malformed, names a column it lacks, a row has no label (single-label) or a file name outside the image folder.</exception>
    public static LabelsCsvDataset Open(string csvPath, LabelsCsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(csvPath);
        options ??= new LabelsCsvOptions();
        if (options.Channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Channels, "An image has 1 (grey) or 3 (RGB) channels.");
        }
        if (options.LabelDelimiter is "")
        {
            throw new ArgumentException("LabelDelimiter is empty: use null for single-label data.", nameof(options));
        }

        csvPath = Path.GetFullPath(csvPath);
        string folder = Path.GetFullPath(options.ImageFolder ?? Path.GetDirectoryName(csvPath)!);
        var table = CsvTable.Read(csvPath);
        int fileColumn = table.Column(options.FileColumn, "file");
        int labelColumn = table.Column(options.LabelColumn, "label");
        bool multiLabel = options.LabelDelimiter is not null;

        var files = new string[table.Rows.Count];
        var names = new string[table.Rows.Count][];
        for (int r = 0; r < table.Rows.Count; r++)
        {
            var (line, fields) = table.Rows[r];
            files[r] = Resolve(folder, fields[fileColumn].Trim() + options.Suffix, csvPath, line);
            names[r] = multiLabel
                ? fields[labelColumn].Split(options.LabelDelimiter, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [fields[labelColumn].Trim()];
            if (!multiLabel && names[r][0].Length == 0)
            {
                throw new DataFileException(csvPath, $"line {line}: no label for '{fields[fileColumn]}'");
            }
        }
        if (files.Length == 0)
        {
            throw new DataFileException(csvPath, "the labels file has a header but no rows");
        }

        var classes = names.SelectMany(n => n).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var indexOf = classes.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var labels = names.Select(n => n.Select(name => indexOf[name]).Distinct().Order().ToArray()).ToArray();
        return new LabelsCsvDataset(csvPath, folder, classes, files, labels, multiLabel, options.Channels);
    }

    public ImageSample Get(int index) => new(ImageDecoder.Decode(_files[index], Channels), GetLabels(index));

    public int[] GetLabels(int index) => (int[])_labels[index].Clone();

    public string Describe(int index) => _files[index];

    private static string Resolve(string folder, string name, string csvPath, int line)
    {
        if (name.Length == 0)
        {
            throw new DataFileException(csvPath, $"line {line}: the file name is empty");
        }
        if (Path.IsPathRooted(name))
        {
            throw new DataFileException(csvPath, $"line {line}: '{name}' is an absolute path; file names are relative to {folder}");
        }
        string full = Path.GetFullPath(Path.Combine(folder, name));
        string relative = Path.GetRelativePath(folder, full);
        if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new DataFileException(csvPath, $"line {line}: '{name}' is outside the image folder {folder}");
        }
        return full;
    }
}
