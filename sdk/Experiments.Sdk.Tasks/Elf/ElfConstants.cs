namespace Experiments.Sdk.Tasks.Elf;

/// <summary>The few ELF constants the tasks need (System V gABI and the GNU symbol-versioning extension).</summary>
internal static class ElfConstants
{
    public const byte ElfClass64 = 2;
    public const byte ElfDataLittleEndian = 1;

    public const int Elf64HeaderSize = 64;
    public const int Elf64SectionHeaderSize = 64;
    public const int Elf64SymbolSize = 24;
    public const int Elf64RelSize = 16;
    public const int Elf64RelaSize = 24;
    public const int Elf64DynamicEntrySize = 16;
    public const int VerneedSize = 16;
    public const int VernauxSize = 16;
    public const int VerdefSize = 20;
    public const int VerdauxSize = 8;

    public const uint SectionTypeRela = 4;
    public const uint SectionTypeDynamic = 6;
    public const uint SectionTypeRel = 9;
    public const uint SectionTypeDynSym = 11;
    public const uint SectionTypeGnuVerdef = 0x6ffffffd;
    public const uint SectionTypeGnuVerneed = 0x6ffffffe;
    public const uint SectionTypeGnuVersym = 0x6fffffff;

    public const ushort SectionIndexExtended = 0xffff;

    public const long DynamicTagNull = 0;
    public const long DynamicTagRPath = 15;
    public const long DynamicTagRunPath = 29;

    /// <summary>Verdef flag: the entry names the file itself (its soname), not a version.</summary>
    public const ushort VersionFlagBase = 0x1;

    /// <summary>Vernaux flag: a missing version is reported by the loader but does not stop the load.</summary>
    public const ushort VersionFlagWeak = 0x2;

    /// <summary>Offset of <c>vna_flags</c> inside an <c>Elf64_Vernaux</c> entry (after the 4-byte hash).</summary>
    public const int VernauxFlagsOffset = 4;

    /// <summary>Offset of <c>vna_hash</c> inside an <c>Elf64_Vernaux</c> entry.</summary>
    public const int VernauxHashOffset = 0;

    public const ushort VersionIndexMask = 0x7fff;
}
