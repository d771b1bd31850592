namespace Experiments.Sdk.Tasks;

/// <summary>Codes of the warnings and errors the native-runtime step reports (targets and task).</summary>
internal static class DiagnosticCodes
{
    /// <summary>The library needs libstdc++ versions this system lacks, other than the one that can be made weak.</summary>
    public const string OtherVersionsMissing = "EXPTORCH001";

    /// <summary>Symbols bound to the version are not known to be harmless, or are relocated (would be used).</summary>
    public const string UnsafeSymbols = "EXPTORCH002";

    /// <summary>The library could not be read as a 64-bit little-endian ELF file.</summary>
    public const string UnreadableLibrary = "EXPTORCH003";

    /// <summary>No libstdc++ of the library's machine type was found, or it could not be read (warning).</summary>
    public const string LibStdCxxNotFound = "EXPTORCH004";

    /// <summary>The patched copy could not be written or moved into place.</summary>
    public const string WriteFailed = "EXPTORCH005";

    /// <summary>An unknown value of ExperimentsPatchLibTorchSharp.</summary>
    public const string InvalidMode = "EXPTORCH009";
}
