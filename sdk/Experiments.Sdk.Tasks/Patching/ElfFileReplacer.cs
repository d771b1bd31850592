using Experiments.Sdk.Tasks.Elf;

namespace Experiments.Sdk.Tasks.Patching;

/// <summary>
/// Writes a weakened copy of a library next to it and moves it over the original name. Never writes
/// into the existing file: a build output may be a hard link into the NuGet cache, and an in-place
/// write would change the cache for every project on the machine.
/// </summary>
internal static class ElfFileReplacer
{
    public static byte[] WithWeakRequirements(byte[] original, IEnumerable<VersionRequirement> requirements)
    {
        var patched = (byte[])original.Clone();
        foreach (var requirement in requirements)
        {
            var flags = patched.AsSpan(requirement.FlagsFileOffset, sizeof(ushort));
            ushort value = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(flags);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(flags, (ushort)(value | ElfConstants.VersionFlagWeak));
        }

        return patched;
    }

    /// <summary>
    /// Replaces <paramref name="path"/> by a new file holding <paramref name="bytes"/>, with the same
    /// permissions and last-write time (so the copy step, which compares size and time with the
    /// package's file, does not copy the original back on every build).
    /// </summary>
    public static void Replace(string path, byte[] bytes)
    {
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? ".";
        string temp = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        // A symbolic link (CreateSymbolicLinksForCopyLocalIfPossible) reports its own time: take the file it points to.
        var source = File.ResolveLinkTarget(fullPath, returnFinalTarget: true) ?? new FileInfo(fullPath);
        var lastWrite = source.LastWriteTimeUtc;
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, source.UnixFileMode);
            }

            File.SetLastWriteTimeUtc(temp, lastWrite);

            // rename(2): the name now points to the new file; other links to the old one keep their content.
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
