namespace Experiments.Data;

/// <summary>Which bytes a <see cref="DownloadFile"/>'s SHA-256 and length describe.</summary>
public enum DownloadDigest
{
    /// <summary>The file as stored.</summary>
    StoredBytes,

    /// <summary>
    /// The content of a gzip file once decompressed: any faithful mirror passes, whether it re-compressed the file or
    /// not (Debian's Fashion-MNIST <c>.gz</c> files differ from upstream's only in compression).
    /// </summary>
    GunzippedBytes,
}

/// <summary>One file of a download: its name (relative to the base URL and to the target folder) and what it must hold.</summary>
/// <param name="Name">File name, both in the URL and on disk.</param>
/// <param name="Sha256">Expected SHA-256, hexadecimal (case ignored), of the bytes <paramref name="Digest"/> says.</param>
/// <param name="Length">Expected length in bytes of the same bytes.</param>
/// <param name="Digest">Whether the digest is of the file or of its decompressed content.</param>
public sealed record DownloadFile(string Name, string Sha256, long Length, DownloadDigest Digest = DownloadDigest.StoredBytes);
