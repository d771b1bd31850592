using Experiments.Sdk.Tasks.Elf;

namespace Experiments.Sdk.Tasks.LibStdCxx;

internal enum WeakeningOutcome
{
    /// <summary>The library needs nothing versioned from libstdc++.</summary>
    NoLibStdCxxRequirement,

    /// <summary>The system's libstdc++ has every version the library needs: nothing to do.</summary>
    SystemHasAllVersions,

    /// <summary>The only missing version is already weak (a previous run, or the library came that way).</summary>
    AlreadyWeak,

    /// <summary>The allowed version is missing and only harmless symbols are bound to it: mark it weak.</summary>
    Weaken,

    /// <summary>The library needs another version the system lacks: it cannot load here, whatever is done.</summary>
    OtherVersionsMissing,

    /// <summary>The allowed version is missing but symbols bound to it are not known to be harmless.</summary>
    UnsafeSymbols,
}

/// <summary>What to do with one library, and why.</summary>
internal sealed record WeakeningDecision(
    WeakeningOutcome Outcome,
    IReadOnlyList<VersionRequirement> ToWeaken,
    IReadOnlyList<string> MissingVersions,
    IReadOnlyList<string> UnsafeSymbols,
    IReadOnlyList<string> BoundSymbols);
