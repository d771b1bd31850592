namespace Experiments.Sdk.Tasks.Elf;

/// <summary>One entry of the section header table (only the fields the tasks use).</summary>
internal sealed record ElfSection(
    int Index,
    string Name,
    uint Type,
    ulong Offset,
    ulong Size,
    uint Link,
    uint Info,
    ulong EntrySize);
