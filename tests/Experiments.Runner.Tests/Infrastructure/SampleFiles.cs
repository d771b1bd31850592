using System.IO.Compression;
using System.Security.Cryptography;
using Experiments.Data;

namespace Experiments.Runner.Tests.Infrastructure;

/// <summary>
/// The gzipped Fashion-MNIST sample files of the repository (sdk/Experiments.Vision/Data/Samples/fashion-mnist), read
/// as bytes to serve, with descriptions whose digests the tests compute themselves.
/// </summary>
internal static class SampleFiles
{
    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> Files = new(() =>
    {
        string relative = Path.Combine("sdk", "Experiments.Vision", "Data", "Samples", "fashion-mnist");
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return Directory.GetFiles(candidate, "*.gz").ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
            }
        }
        throw new DirectoryNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    });

    /// <summary>File name → gzip bytes.</summary>
    public static IReadOnlyDictionary<string, byte[]> Bytes => Files.Value;

    /// <summary>Descriptions of the sample files, the digest of their decompressed content (as Fashion-MNIST's are).</summary>
    public static IReadOnlyList<DownloadFile> Gunzipped()
        => Bytes.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => Describe(f.Key, Gunzip(f.Value), DownloadDigest.GunzippedBytes))
            .ToArray();

    public static DownloadFile Describe(string name, byte[] content, DownloadDigest digest)
        => new(name, Convert.ToHexStringLower(SHA256.HashData(content)), content.Length, digest);

    public static byte[] Gunzip(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    public static byte[] Gzip(byte[] data, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, level, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }
}
