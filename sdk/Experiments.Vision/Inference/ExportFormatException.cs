namespace Experiments.Vision.Inference;

/// <summary>
/// An export's metadata or weights file cannot be used; the message names the file and, for metadata, the field
/// (dotted path, e.g. <c>image_size.height</c>).
/// </summary>
public sealed class ExportFormatException : Exception
{
    public ExportFormatException(string path, string? field, string problem, Exception? inner = null)
        : base(field is null ? $"Export file '{path}': {problem}." : $"Export file '{path}': field '{field}' {problem}.", inner)
    {
        Path = path;
        Field = field;
    }

    /// <summary>The file at fault.</summary>
    public string Path { get; }

    /// <summary>The metadata field at fault (dotted path), or null when the problem is the file as a whole.</summary>
    public string? Field { get; }
}
