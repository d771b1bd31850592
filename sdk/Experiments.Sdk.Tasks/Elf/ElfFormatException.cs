namespace Experiments.Sdk.Tasks.Elf;

/// <summary>The file is not an ELF file this code can read, or its tables point outside the file.</summary>
internal sealed class ElfFormatException : Exception
{
    public ElfFormatException(string message)
        : base(message)
    {
    }
}
