using System.Diagnostics;
using Experiments.Sdk.Tasks.Elf;

namespace Experiments.Sdk.Tasks.LibStdCxx;

/// <summary>
/// Finds the libstdc++ that the dynamic loader would give a library: one next to it when its
/// RUNPATH starts with $ORIGIN, else the first of the loader cache (<c>ldconfig -p</c>), else the
/// standard library folders. Only a file of the library's own machine type counts.
/// </summary>
internal static class LibStdCxxLocator
{
    public const string SonameFile = "libstdc++.so.6";

    private static readonly string[] LdconfigPaths = ["/sbin/ldconfig", "/usr/sbin/ldconfig", "/bin/ldconfig", "/usr/bin/ldconfig"];

    private static readonly string[] StandardFolders =
    [
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
        "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
        "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib64", "/usr/local/lib",
    ];

    /// <param name="library">The library that needs libstdc++ (its folder and RUNPATH are searched first).</param>
    /// <param name="libraryPath">Where that library lies.</param>
    /// <param name="searched">Every place looked at, for the message when nothing is found.</param>
    public static string? Locate(ElfFile library, string libraryPath, List<string> searched)
    {
        foreach (string candidate in Candidates(library, libraryPath, searched))
        {
            if (IsSameMachine(candidate, library.Machine))
            {
                return candidate;
            }
        }

        return null;
    }

    private static IEnumerable<string> Candidates(ElfFile library, string libraryPath, List<string> searched)
    {
        string origin = Path.GetDirectoryName(Path.GetFullPath(libraryPath)) ?? ".";
        foreach (string entry in ElfDynamicSection.ReadSearchPath(library))
        {
            // Only $ORIGIN entries describe this machine; absolute ones are the build machine's leftovers.
            if (entry.StartsWith("$ORIGIN", StringComparison.Ordinal) || entry.StartsWith("${ORIGIN}", StringComparison.Ordinal))
            {
                string folder = entry.Replace("${ORIGIN}", origin, StringComparison.Ordinal).Replace("$ORIGIN", origin, StringComparison.Ordinal);
                string path = Path.Combine(folder, SonameFile);
                searched.Add(path);
                if (File.Exists(path))
                {
                    yield return path;
                }
            }
        }

        foreach (string path in FromLoaderCache(searched))
        {
            yield return path;
        }

        foreach (string folder in StandardFolders)
        {
            string path = Path.Combine(folder, SonameFile);
            searched.Add(path);
            if (File.Exists(path))
            {
                yield return path;
            }
        }
    }

    private static IEnumerable<string> FromLoaderCache(List<string> searched)
    {
        string? ldconfig = LdconfigPaths.FirstOrDefault(File.Exists);
        if (ldconfig is null)
        {
            return [];
        }

        searched.Add($"{ldconfig} -p");
        try
        {
            using var process = Process.Start(new ProcessStartInfo(ldconfig, "-p")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return [];
            }

            var errors = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(10_000))
            {
                process.Kill();
                return [];
            }

            _ = errors.Result;
            return ParseLoaderCache(output);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return [];
        }
    }

    /// <summary>Lines like <c>	libstdc++.so.6 (libc6,x86-64) =&gt; /lib/x86_64-linux-gnu/libstdc++.so.6</c>.</summary>
    internal static IReadOnlyList<string> ParseLoaderCache(string output)
    {
        var paths = new List<string>();
        foreach (string line in output.Split('\n'))
        {
            string trimmed = line.Trim();
            if (!trimmed.StartsWith(SonameFile + " ", StringComparison.Ordinal))
            {
                continue;
            }

            int arrow = trimmed.IndexOf("=>", StringComparison.Ordinal);
            if (arrow > 0)
            {
                string path = trimmed[(arrow + 2)..].Trim();
                if (path.Length > 0 && File.Exists(path))
                {
                    paths.Add(path);
                }
            }
        }

        return paths;
    }

    private static bool IsSameMachine(string path, ushort machine)
    {
        try
        {
            Span<byte> header = stackalloc byte[ElfConstants.Elf64HeaderSize];
            using var stream = File.OpenRead(path);
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !ElfFile.HasElfMagic(header))
            {
                return false;
            }

            return header[4] == ElfConstants.ElfClass64
                && header[5] == ElfConstants.ElfDataLittleEndian
                && System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(header[0x12..]) == machine;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
