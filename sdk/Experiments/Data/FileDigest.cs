using System.IO.Compression;
using System.Security.Cryptography;

namespace Experiments.Data;

/// <summary>The SHA-256 (lowercase hex) and length of a file's bytes, or of the content of a gzip file.</summary>
internal readonly record struct FileDigest(string Sha256, long Length)
{
    public static FileDigest Compute(string path, DownloadDigest kind, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        using Stream content = kind == DownloadDigest.GunzippedBytes ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long length = 0;
        int read;
        while ((read = content.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sha.AppendData(buffer, 0, read);
            length += read;
        }
        return new FileDigest(Convert.ToHexStringLower(sha.GetHashAndReset()), length);
    }

    public bool Matches(DownloadFile expected)
        => Length == expected.Length && string.Equals(Sha256, expected.Sha256, StringComparison.OrdinalIgnoreCase);
}
