namespace Experiments.Vision.Data;

/// <summary>
/// A data file (image, IDX file, labels CSV) that cannot be read or is not in the expected format.
/// The message names the file and says what is wrong; <see cref="FilePath"/> holds it for code.
/// </summary>
public sealed class DataFileException : IOException
{
    public DataFileException(string filePath, string problem, Exception? innerException = null)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it, without the path.</summary>
    public string Problem { get; }
}
