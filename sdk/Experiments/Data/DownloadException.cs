namespace Experiments.Data;

/// <summary>
/// A download that failed: the server could not be reached or broke off, answered with an error, or sent a file whose
/// content is not the expected one. The message names the URL or file and the reason; <see cref="FileDownloader"/>
/// leaves no partial file behind.
/// </summary>
public sealed class DownloadException : Exception
{
    public DownloadException(string message)
        : base(message)
    {
    }

    public DownloadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
