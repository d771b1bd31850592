using System.Reflection;
using System.Security.Cryptography;

namespace Experiments.Sdk.Tasks.Tests.Support;

/// <summary>The real libLibTorchSharp.so of the TorchSharp package, and ways to get private copies of it.</summary>
internal static class PackagedLibTorchSharp
{
    public const string FileName = "libLibTorchSharp.so";

    /// <summary>The file in the NuGet cache. Read only: tests copy it first.</summary>
    public static string Path { get; } = typeof(PackagedLibTorchSharp).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "Experiments.Sdk.Tasks.Tests.PackagedLibTorchSharp")
        .Value!;

    /// <summary>The folder of this test run's native files (the build output's copies).</summary>
    public static string OutputNativeFolder { get; } =
        System.IO.Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");

    /// <summary>Copies the packaged library to <paramref name="folder"/> (created if needed) and returns the copy's path.</summary>
    public static string CopyTo(string folder)
    {
        Directory.CreateDirectory(folder);
        string copy = System.IO.Path.Combine(folder, FileName);
        File.Copy(Path, copy, overwrite: true);
        File.SetLastWriteTimeUtc(copy, File.GetLastWriteTimeUtc(Path));
        return copy;
    }

    /// <summary>
    /// Makes <paramref name="folder"/> loadable like the output's native folder: symbolic links to every
    /// LibTorch file of this run's output, so the binding's RUNPATH ($ORIGIN) finds libtorch*.so and libc10.so.
    /// </summary>
    public static void LinkLibTorchInto(string folder)
    {
        foreach (string file in Directory.EnumerateFiles(OutputNativeFolder))
        {
            string name = System.IO.Path.GetFileName(file);
            if (name != FileName)
            {
                File.CreateSymbolicLink(System.IO.Path.Combine(folder, name), file);
            }
        }
    }

    public static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
