using System.Buffers.Binary;
using System.Text;
using Experiments.Sdk.Tasks.Elf;

namespace Experiments.Sdk.Tasks.Tests.Support;

/// <summary>Edits of a copy of a real library that build the cases the step must refuse.</summary>
internal static class ElfEdits
{
    /// <summary>Renames a needed version (same length) in .dynstr and fixes its vna_hash, so the file stays consistent.</summary>
    public static void RenameNeededVersion(string path, string from, string to)
    {
        Assert.Equal(from.Length, to.Length);
        byte[] bytes = File.ReadAllBytes(path);
        var elf = ElfFile.Parse(bytes);
        var verneed = elf.FindSection(ElfConstants.SectionTypeGnuVerneed)!;
        var strings = elf.LinkedSection(verneed);
        var requirement = Requirement(elf, from);

        uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(requirement.EntryFileOffset + 8));
        Encoding.ASCII.GetBytes(to).CopyTo(bytes.AsSpan((int)(strings.Offset + nameOffset)));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(requirement.EntryFileOffset), ElfHash.Compute(to));
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Binds a dynamic symbol to another needed version by rewriting its .gnu.version entry.</summary>
    public static void BindSymbolToVersion(string path, string symbol, string version)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var elf = ElfFile.Parse(bytes);
        var index = ElfDynamicSymbols.Read(elf).Single(s => s.Name == symbol).Index;
        var versym = elf.FindSection(ElfConstants.SectionTypeGnuVersym)!;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((int)versym.Offset + (index * 2)), Requirement(elf, version).Index);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Points the first relocation of <paramref name="sectionName"/> at <paramref name="symbol"/>.</summary>
    public static void RelocateAgainst(string path, string symbol, string sectionName)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var elf = ElfFile.Parse(bytes);
        var index = ElfDynamicSymbols.Read(elf).Single(s => s.Name == symbol).Index;
        var section = elf.Sections.Single(s => s.Name == sectionName);
        var info = bytes.AsSpan((int)section.Offset + 8, 8);
        ulong type = BinaryPrimitives.ReadUInt64LittleEndian(info) & 0xffffffff;
        BinaryPrimitives.WriteUInt64LittleEndian(info, ((ulong)index << 32) | type);
        File.WriteAllBytes(path, bytes);
    }

    public static VersionRequirement Requirement(ElfFile elf, string version) =>
        ElfVersionNeeds.Read(elf).SelectMany(n => n.Requirements).Single(r => r.Name == version);

    public static VersionRequirement Requirement(string path, string version) => Requirement(ElfFile.Read(path), version);
}
