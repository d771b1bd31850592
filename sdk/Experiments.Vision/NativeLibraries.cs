namespace Experiments.Vision;

/// <summary>Which native library files this process has mapped (Linux: /proc/self/maps).</summary>
internal static class NativeLibraries
{
    /// <summary>The path of a loaded library whose file name contains <paramref name="name"/>, or null.</summary>
    public static string? FindLoaded(string name)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            foreach (string line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/');
                if (slash < 0)
                {
                    continue;
                }

                string path = line[slash..];
                if (Path.GetFileName(path).Contains(name, StringComparison.Ordinal))
                {
                    return path;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
