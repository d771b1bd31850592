using System.Buffers.Binary;

namespace Experiments.Sdk.Tasks.Elf;

/// <summary>Reads <c>.gnu.version_d</c> (SHT_GNU_verdef): the version names a shared library defines.</summary>
internal static class ElfVersionDefinitions
{
    /// <summary>The defined version names (e.g. GLIBCXX_3.4.30), without the base entry that names the file itself.</summary>
    public static IReadOnlyList<string> Read(ElfFile elf)
    {
        var section = elf.FindSection(ElfConstants.SectionTypeGnuVerdef);
        if (section is null)
        {
            return [];
        }

        var strings = elf.LinkedSection(section);
        var bytes = elf.Bytes;
        var names = new List<string>();
        ulong offset = 0;

        // sh_info holds the number of Verdef entries; the first Verdaux of each names the version.
        for (uint i = 0; i < section.Info; i++)
        {
            int at = elf.FileOffset(section, offset, ElfConstants.VerdefSize);
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 2));
            ushort auxCount = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 6));
            uint auxOffset = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12));
            uint next = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 16));

            if (auxCount > 0 && (flags & ElfConstants.VersionFlagBase) == 0)
            {
                int auxAt = elf.FileOffset(section, offset + auxOffset, ElfConstants.VerdauxSize);
                uint name = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(auxAt));
                names.Add(elf.ReadString(strings, name));
            }

            if (next == 0)
            {
                break;
            }

            offset += next;
        }

        return names;
    }
}
