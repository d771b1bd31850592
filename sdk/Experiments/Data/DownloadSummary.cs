namespace Experiments.Data;

/// <summary>What a download did: every file is in <see cref="Folder"/>, either fetched now or already there and valid.</summary>
/// <param name="Folder">The full path of the target folder.</param>
/// <param name="Downloaded">Names of the files fetched now.</param>
/// <param name="AlreadyPresent">Names of the files that were there and valid, left alone.</param>
public sealed record DownloadSummary(string Folder, IReadOnlyList<string> Downloaded, IReadOnlyList<string> AlreadyPresent);
