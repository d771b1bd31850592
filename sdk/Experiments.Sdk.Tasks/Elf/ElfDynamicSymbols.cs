using System.Buffers.Binary;

namespace Experiments.Sdk.Tasks.Elf;

/// <summary>A <c>.dynsym</c> entry with its <c>.gnu.version</c> index.</summary>
internal sealed record DynamicSymbol(int Index, string Name, ushort VersionIndex, bool IsDefined);

/// <summary>A dynamic relocation that names a symbol, with the section it sits in.</summary>
internal sealed record SymbolRelocation(int SymbolIndex, string SectionName, ulong Offset);

/// <summary>Reads the dynamic symbol table, its version indices and the dynamic relocations that refer to it.</summary>
internal static class ElfDynamicSymbols
{
    public static IReadOnlyList<DynamicSymbol> Read(ElfFile elf)
    {
        var dynsym = elf.FindSection(ElfConstants.SectionTypeDynSym);
        if (dynsym is null)
        {
            return [];
        }

        var strings = elf.LinkedSection(dynsym);
        var symbols = elf.Content(dynsym);
        int count = symbols.Length / ElfConstants.Elf64SymbolSize;

        var versym = elf.FindSection(ElfConstants.SectionTypeGnuVersym);
        var versions = versym is null ? default : elf.Content(versym);
        if (versym is not null && versions.Length < count * 2)
        {
            throw new ElfFormatException($".gnu.version holds {versions.Length / 2} entries for {count} dynamic symbols");
        }

        var result = new DynamicSymbol[count];
        for (int i = 0; i < count; i++)
        {
            var entry = symbols.Slice(i * ElfConstants.Elf64SymbolSize, ElfConstants.Elf64SymbolSize);
            uint name = BinaryPrimitives.ReadUInt32LittleEndian(entry);
            ushort sectionIndex = BinaryPrimitives.ReadUInt16LittleEndian(entry[6..]);
            ushort version = versym is null
                ? (ushort)0
                : (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(versions[(i * 2)..]) & ElfConstants.VersionIndexMask);
            result[i] = new DynamicSymbol(i, elf.ReadString(strings, name), version, IsDefined: sectionIndex != 0);
        }

        return result;
    }

    /// <summary>Every REL/RELA entry, in any section that refers to <c>.dynsym</c>, whose symbol index is not 0.</summary>
    public static IReadOnlyList<SymbolRelocation> ReadRelocations(ElfFile elf)
    {
        var dynsym = elf.FindSection(ElfConstants.SectionTypeDynSym);
        if (dynsym is null)
        {
            return [];
        }

        var relocations = new List<SymbolRelocation>();
        foreach (var section in elf.Sections)
        {
            int size = section.Type switch
            {
                ElfConstants.SectionTypeRela => ElfConstants.Elf64RelaSize,
                ElfConstants.SectionTypeRel => ElfConstants.Elf64RelSize,
                _ => 0,
            };
            if (size == 0 || section.Link != (uint)dynsym.Index)
            {
                continue;
            }

            var content = elf.Content(section);
            for (int at = 0; at + size <= content.Length; at += size)
            {
                ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(content[at..]);
                ulong info = BinaryPrimitives.ReadUInt64LittleEndian(content[(at + 8)..]);
                int symbol = checked((int)(info >> 32));
                if (symbol != 0)
                {
                    relocations.Add(new SymbolRelocation(symbol, section.Name, offset));
                }
            }
        }

        return relocations;
    }
}
