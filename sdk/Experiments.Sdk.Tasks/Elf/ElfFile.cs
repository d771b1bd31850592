using System.Buffers.Binary;
using System.Text;

namespace Experiments.Sdk.Tasks.Elf;

/// <summary>
/// A 64-bit little-endian ELF file held in memory: the header and the section header table, with
/// bounds-checked readers for the tables that point into it. Nothing here trusts an offset from the file.
/// </summary>
internal sealed class ElfFile
{
    private ElfFile(byte[] bytes, ushort machine, IReadOnlyList<ElfSection> sections)
    {
        Bytes = bytes;
        Machine = machine;
        Sections = sections;
    }

    public byte[] Bytes { get; }

    /// <summary><c>e_machine</c> (62 = x86-64, 183 = AArch64).</summary>
    public ushort Machine { get; }

    public IReadOnlyList<ElfSection> Sections { get; }

    public static ElfFile Read(string path) => Parse(File.ReadAllBytes(path));

    /// <summary>True when the bytes start with the ELF magic (any class or byte order).</summary>
    public static bool HasElfMagic(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 4 && bytes[0] == 0x7f && bytes[1] == (byte)'E' && bytes[2] == (byte)'L' && bytes[3] == (byte)'F';

    public static ElfFile Parse(byte[] bytes)
    {
        if (!HasElfMagic(bytes))
        {
            throw new ElfFormatException("not an ELF file (no \\x7fELF magic)");
        }

        if (bytes.Length < ElfConstants.Elf64HeaderSize)
        {
            throw new ElfFormatException("the ELF header is truncated");
        }

        if (bytes[4] != ElfConstants.ElfClass64 || bytes[5] != ElfConstants.ElfDataLittleEndian)
        {
            throw new ElfFormatException($"only 64-bit little-endian ELF files are supported (EI_CLASS={bytes[4]}, EI_DATA={bytes[5]})");
        }

        var header = bytes.AsSpan(0, ElfConstants.Elf64HeaderSize);
        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(header[0x12..]);
        ulong sectionHeaderOffset = BinaryPrimitives.ReadUInt64LittleEndian(header[0x28..]);
        ushort sectionHeaderEntrySize = BinaryPrimitives.ReadUInt16LittleEndian(header[0x3a..]);
        uint sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(header[0x3c..]);
        uint sectionNamesIndex = BinaryPrimitives.ReadUInt16LittleEndian(header[0x3e..]);

        if (sectionHeaderOffset == 0)
        {
            return new ElfFile(bytes, machine, []);
        }

        if (sectionHeaderEntrySize != ElfConstants.Elf64SectionHeaderSize)
        {
            throw new ElfFormatException($"unexpected section header size {sectionHeaderEntrySize}");
        }

        // More than 0xff00 sections: the real count and name-table index live in section 0.
        var first = Slice(bytes, sectionHeaderOffset, ElfConstants.Elf64SectionHeaderSize, "section header 0");
        if (sectionCount == 0)
        {
            sectionCount = checked((uint)BinaryPrimitives.ReadUInt64LittleEndian(first[0x20..]));
        }

        if (sectionNamesIndex == ElfConstants.SectionIndexExtended)
        {
            sectionNamesIndex = BinaryPrimitives.ReadUInt32LittleEndian(first[0x28..]);
        }

        var table = Slice(bytes, sectionHeaderOffset, (ulong)sectionCount * ElfConstants.Elf64SectionHeaderSize, "section header table");
        var raw = new (uint NameOffset, uint Type, ulong Offset, ulong Size, uint Link, uint Info, ulong EntrySize)[sectionCount];
        for (int i = 0; i < sectionCount; i++)
        {
            var entry = table.Slice(i * ElfConstants.Elf64SectionHeaderSize, ElfConstants.Elf64SectionHeaderSize);
            raw[i] = (
                BinaryPrimitives.ReadUInt32LittleEndian(entry),
                BinaryPrimitives.ReadUInt32LittleEndian(entry[0x04..]),
                BinaryPrimitives.ReadUInt64LittleEndian(entry[0x18..]),
                BinaryPrimitives.ReadUInt64LittleEndian(entry[0x20..]),
                BinaryPrimitives.ReadUInt32LittleEndian(entry[0x28..]),
                BinaryPrimitives.ReadUInt32LittleEndian(entry[0x2c..]),
                BinaryPrimitives.ReadUInt64LittleEndian(entry[0x38..]));
        }

        var sections = new ElfSection[sectionCount];
        bool hasNames = sectionNamesIndex != 0 && sectionNamesIndex < sectionCount;
        for (int i = 0; i < sectionCount; i++)
        {
            var s = raw[i];
            string name = hasNames
                ? ReadString(bytes, raw[sectionNamesIndex].Offset, raw[sectionNamesIndex].Size, s.NameOffset)
                : string.Empty;
            sections[i] = new ElfSection(i, name, s.Type, s.Offset, s.Size, s.Link, s.Info, s.EntrySize);
        }

        return new ElfFile(bytes, machine, sections);
    }

    public ElfSection? FindSection(uint type) => Sections.FirstOrDefault(s => s.Type == type);

    public ElfSection LinkedSection(ElfSection section)
    {
        if (section.Link == 0 || section.Link >= Sections.Count)
        {
            throw new ElfFormatException($"section '{section.Name}' links to section {section.Link}, which does not exist");
        }

        return Sections[(int)section.Link];
    }

    /// <summary>The bytes of a section (its file image), bounds-checked.</summary>
    public ReadOnlySpan<byte> Content(ElfSection section) =>
        Slice(Bytes, section.Offset, section.Size, $"section '{section.Name}'");

    /// <summary>A NUL-terminated string at <paramref name="offset"/> inside a string-table section.</summary>
    public string ReadString(ElfSection stringTable, uint offset) =>
        ReadString(Bytes, stringTable.Offset, stringTable.Size, offset);

    /// <summary>The absolute file offset of <paramref name="relative"/> inside a section, checked to hold <paramref name="length"/> bytes.</summary>
    public int FileOffset(ElfSection section, ulong relative, int length)
    {
        if (relative > section.Size || (ulong)length > section.Size - relative)
        {
            throw new ElfFormatException($"an entry at offset {relative} runs past the end of section '{section.Name}'");
        }

        Slice(Bytes, section.Offset + relative, (ulong)length, $"section '{section.Name}'");
        return checked((int)(section.Offset + relative));
    }

    private static ReadOnlySpan<byte> Slice(byte[] bytes, ulong offset, ulong length, string what)
    {
        if (offset > (ulong)bytes.Length || length > (ulong)bytes.Length - offset)
        {
            throw new ElfFormatException($"{what} (offset {offset}, {length} bytes) lies outside the file ({bytes.Length} bytes)");
        }

        return bytes.AsSpan((int)offset, (int)length);
    }

    private static string ReadString(byte[] bytes, ulong tableOffset, ulong tableSize, uint offset)
    {
        var table = Slice(bytes, tableOffset, tableSize, "string table");
        if (offset >= table.Length)
        {
            throw new ElfFormatException($"string offset {offset} lies outside its string table ({table.Length} bytes)");
        }

        var tail = table[(int)offset..];
        int end = tail.IndexOf((byte)0);
        if (end < 0)
        {
            throw new ElfFormatException($"the string at offset {offset} is not terminated inside its string table");
        }

        return Encoding.UTF8.GetString(tail[..end]);
    }
}
