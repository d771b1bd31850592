using System.Buffers.Binary;

namespace Experiments.Sdk.Tasks.Elf;

/// <summary>One <c>Elf64_Verneed</c> entry: the versions this object needs from one shared library.</summary>
internal sealed record VersionNeed(string File, IReadOnlyList<VersionRequirement> Requirements);

/// <summary>
/// One <c>Elf64_Vernaux</c> entry: a version name needed from <see cref="VersionNeed.File"/>.
/// <see cref="Index"/> (<c>vna_other</c>) is the value that <c>.gnu.version</c> holds for the symbols bound to it.
/// </summary>
internal sealed record VersionRequirement(string Name, uint Hash, ushort Flags, ushort Index, int EntryFileOffset)
{
    public bool IsWeak => (Flags & ElfConstants.VersionFlagWeak) != 0;

    public int FlagsFileOffset => EntryFileOffset + ElfConstants.VernauxFlagsOffset;
}

/// <summary>Reads <c>.gnu.version_r</c> (SHT_GNU_verneed) and the string table it links to.</summary>
internal static class ElfVersionNeeds
{
    public static IReadOnlyList<VersionNeed> Read(ElfFile elf)
    {
        var section = elf.FindSection(ElfConstants.SectionTypeGnuVerneed);
        if (section is null)
        {
            return [];
        }

        var strings = elf.LinkedSection(section);
        var bytes = elf.Bytes;
        var needs = new List<VersionNeed>();
        ulong offset = 0;

        // sh_info holds the number of Verneed entries; vn_next chains them (0 ends the chain).
        for (uint i = 0; i < section.Info; i++)
        {
            int at = elf.FileOffset(section, offset, ElfConstants.VerneedSize);
            ushort count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 2));
            uint fileName = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
            uint auxOffset = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8));
            uint next = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12));

            var requirements = new List<VersionRequirement>(count);
            ulong aux = offset + auxOffset;
            for (int j = 0; j < count; j++)
            {
                int auxAt = elf.FileOffset(section, aux, ElfConstants.VernauxSize);
                uint hash = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(auxAt));
                ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(auxAt + 4));
                ushort index = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(auxAt + 6));
                uint name = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(auxAt + 8));
                uint auxNext = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(auxAt + 12));
                requirements.Add(new VersionRequirement(elf.ReadString(strings, name), hash, flags, index, auxAt));
                if (auxNext == 0 && j != count - 1)
                {
                    throw new ElfFormatException($"a version-needed entry announces {count} names but its chain ends after {j + 1}");
                }

                aux += auxNext;
            }

            needs.Add(new VersionNeed(elf.ReadString(strings, fileName), requirements));
            if (next == 0)
            {
                break;
            }

            offset += next;
        }

        return needs;
    }
}
