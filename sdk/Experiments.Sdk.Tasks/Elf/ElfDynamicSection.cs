using System.Buffers.Binary;

namespace Experiments.Sdk.Tasks.Elf;

/// <summary>Reads the library search path (DT_RUNPATH, or DT_RPATH when there is none) from <c>.dynamic</c>.</summary>
internal static class ElfDynamicSection
{
    public static IReadOnlyList<string> ReadSearchPath(ElfFile elf)
    {
        var dynamic = elf.FindSection(ElfConstants.SectionTypeDynamic);
        if (dynamic is null)
        {
            return [];
        }

        var strings = elf.LinkedSection(dynamic);
        var content = elf.Content(dynamic);
        string? runPath = null;
        string? rPath = null;
        for (int at = 0; at + ElfConstants.Elf64DynamicEntrySize <= content.Length; at += ElfConstants.Elf64DynamicEntrySize)
        {
            long tag = BinaryPrimitives.ReadInt64LittleEndian(content[at..]);
            ulong value = BinaryPrimitives.ReadUInt64LittleEndian(content[(at + 8)..]);
            if (tag == ElfConstants.DynamicTagNull)
            {
                break;
            }

            if (tag == ElfConstants.DynamicTagRunPath)
            {
                runPath = elf.ReadString(strings, checked((uint)value));
            }
            else if (tag == ElfConstants.DynamicTagRPath)
            {
                rPath = elf.ReadString(strings, checked((uint)value));
            }
        }

        string? path = runPath ?? rPath;
        return path is null ? [] : path.Split(':', StringSplitOptions.RemoveEmptyEntries);
    }
}
