using System.Diagnostics;

namespace Experiments.Runner.Tests.Infrastructure;

/// <summary>
/// A small tmpfs mounted on a folder: a disk that fills up (<c>size=512k</c>) or turns read-only on demand. Needs
/// Linux and the right to mount (root or CAP_SYS_ADMIN, as in the CI container); <see cref="MissingReason"/> says why
/// not otherwise, for <see cref="TmpfsFactAttribute"/>.
/// </summary>
internal sealed class Tmpfs : IDisposable
{
    private static readonly Lazy<string?> Missing = new(Probe);

    private Tmpfs(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>Why a tmpfs cannot be mounted here, or null when it can.</summary>
    public static string? MissingReason => Missing.Value;

    /// <summary>Creates <paramref name="directory"/> and mounts a tmpfs of <paramref name="size"/> (e.g. <c>512k</c>) on it.</summary>
    public static Tmpfs Mount(string directory, string size)
    {
        System.IO.Directory.CreateDirectory(directory);
        var (code, output) = Command("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", directory);
        if (code != 0)
        {
            throw new InvalidOperationException($"mount -t tmpfs on {directory} failed ({code}): {output}");
        }
        return new Tmpfs(directory);
    }

    /// <summary>Gives the disk another size (more room after it filled up), keeping its files.</summary>
    public void Resize(string size) => Remount($"remount,size={size}");

    /// <summary>Makes the whole file system read-only, as a read-only mount or a read-only volume is.</summary>
    public void MakeReadOnly() => Remount("remount,ro");

    public void Dispose()
    {
        // Lazy: a worker that is still closing its files must not keep the mount (and the test's folder) around.
        Command("umount", "-l", Directory);
    }

    private void Remount(string options)
    {
        var (code, output) = Command("mount", "-o", options, Directory);
        if (code != 0)
        {
            throw new InvalidOperationException($"mount -o {options} {Directory} failed ({code}): {output}");
        }
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "needs a Linux tmpfs mount";
        }
        var directory = Path.Combine(Path.GetTempPath(), "experiments-tmpfs-probe", Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using (Mount(directory, "64k"))
            {
            }
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"mounting a tmpfs is not permitted here (it needs root or CAP_SYS_ADMIN): {e.Message.Trim()}";
        }
        finally
        {
            try
            {
                System.IO.Directory.Delete(directory);
            }
            catch (IOException)
            {
            }
        }
    }

    private static (int Code, string Output) Command(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error + output.Result);
    }
}

/// <summary>A test that mounts a tmpfs: skipped, with the reason, where mounting is not permitted.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (Tmpfs.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
