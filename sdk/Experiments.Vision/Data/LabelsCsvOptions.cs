namespace Experiments.Vision.Data;

/// <summary>How to read a labels CSV (<see cref="LabelsCsvDataset"/>); defaults follow fastai's <c>from_csv</c>.</summary>
public sealed record LabelsCsvOptions
{
    /// <summary>Folder the file names are relative to; default: the CSV's own folder.</summary>
    public string? ImageFolder { get; init; }

    /// <summary>Column with the image file name: a header name or a 0-based number. Default: the first column.</summary>
    public string FileColumn { get; init; } = "0";

    /// <summary>Column with the label(s): a header name or a 0-based number. Default: the second column.</summary>
    public string LabelColumn { get; init; } = "1";

    /// <summary>
    /// Null (default) for single-label data: the whole field, trimmed, is the class. A separator (e.g. <c>" "</c> for
    /// the Planet data set's <c>"haze primary"</c>) for multi-label data: the field is split on it, empty parts dropped.
    /// </summary>
    public string? LabelDelimiter { get; init; }

    /// <summary>Appended to every file name (Planet's CSV names <c>train_0</c> for <c>train_0.jpg</c>); default none.</summary>
    public string Suffix { get; init; } = "";

    /// <summary>3 to decode as RGB (default), 1 as grey.</summary>
    public int Channels { get; init; } = 3;
}
