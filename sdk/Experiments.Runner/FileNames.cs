namespace Experiments.Runner;

/// <summary>Experiment names and trial ids as file and folder names.</summary>
internal static class FileNames
{
    /// <summary>Trial ids contain '/', '=' and '#': keep them readable, but one path segment on every OS.</summary>
    public static string Safe(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return string.Concat(name.Select(c => c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || invalid.Contains(c) ? '_' : c));
    }
}
