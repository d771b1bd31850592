namespace Experiments.Data;

/// <summary>How far the download of one file is.</summary>
/// <param name="File">The file's name.</param>
/// <param name="Bytes">Bytes received so far.</param>
/// <param name="Total">The file's size as the server announced it, or null when it did not.</param>
public readonly record struct DownloadProgress(string File, long Bytes, long? Total);
