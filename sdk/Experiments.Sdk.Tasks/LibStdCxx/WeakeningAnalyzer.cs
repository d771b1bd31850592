using Experiments.Sdk.Tasks.Elf;

namespace Experiments.Sdk.Tasks.LibStdCxx;

/// <summary>
/// Decides, from a library's content and the versions the system's libstdc++ defines, whether the
/// allowed version requirement can and should be made weak. Pure: reads nothing but its arguments.
/// </summary>
internal static class WeakeningAnalyzer
{
    /// <param name="library">The library whose libstdc++ requirements are examined.</param>
    /// <param name="systemVersions">
    /// The versions the target system's libstdc++ defines; null when unknown (forced mode: only the
    /// allowed version is treated as missing, and nothing can be said about others).
    /// </param>
    /// <param name="policy">The version that may be made weak and the symbols known to be harmless.</param>
    public static WeakeningDecision Analyze(ElfFile library, IReadOnlySet<string>? systemVersions, WeakeningPolicy policy)
    {
        var requirements = ElfVersionNeeds.Read(library)
            .Where(need => need.File == policy.LibraryFile)
            .SelectMany(need => need.Requirements)
            .ToList();
        if (requirements.Count == 0)
        {
            return Decision(WeakeningOutcome.NoLibStdCxxRequirement);
        }

        foreach (var requirement in requirements)
        {
            uint expected = ElfHash.Compute(requirement.Name);
            if (requirement.Hash != expected)
            {
                throw new ElfFormatException(
                    $"the version entry '{requirement.Name}' carries hash 0x{requirement.Hash:x8}, but that name hashes to 0x{expected:x8}");
            }
        }

        var missing = requirements
            .Where(r => systemVersions is null ? r.Name == policy.AllowedVersion : !systemVersions.Contains(r.Name))
            .ToList();
        var missingStrong = missing.Where(r => !r.IsWeak).ToList();
        if (missingStrong.Count == 0)
        {
            return Decision(missing.Count == 0 ? WeakeningOutcome.SystemHasAllVersions : WeakeningOutcome.AlreadyWeak);
        }

        var others = missingStrong.Where(r => r.Name != policy.AllowedVersion).Select(r => r.Name).ToList();
        if (others.Count > 0)
        {
            return Decision(WeakeningOutcome.OtherVersionsMissing, missing: others);
        }

        var symbols = ElfDynamicSymbols.Read(library);
        var relocations = ElfDynamicSymbols.ReadRelocations(library)
            .GroupBy(r => r.SymbolIndex)
            .ToDictionary(g => g.Key, g => g.First());
        var toWeaken = missingStrong;
        var indices = toWeaken.Select(r => r.Index).ToHashSet();

        var bound = new List<string>();
        var unsafeSymbols = new List<string>();
        foreach (var symbol in symbols.Where(s => indices.Contains(s.VersionIndex)))
        {
            bound.Add(symbol.Name);
            if (!policy.HarmlessSymbols.Contains(symbol.Name))
            {
                unsafeSymbols.Add($"{symbol.Name} (not on the list of symbols known to be harmless)");
            }
            else if (symbol.IsDefined)
            {
                unsafeSymbols.Add($"{symbol.Name} (defined by this library, not imported)");
            }
            else if (relocations.TryGetValue(symbol.Index, out var relocation))
            {
                unsafeSymbols.Add($"{symbol.Name} (relocation in {relocation.SectionName} at 0x{relocation.Offset:x}: it would be bound and used)");
            }
        }

        return unsafeSymbols.Count > 0
            ? Decision(WeakeningOutcome.UnsafeSymbols, unsafeSymbols: unsafeSymbols, bound: bound)
            : Decision(WeakeningOutcome.Weaken, toWeaken: toWeaken, bound: bound);
    }

    private static WeakeningDecision Decision(
        WeakeningOutcome outcome,
        IReadOnlyList<VersionRequirement>? toWeaken = null,
        IReadOnlyList<string>? missing = null,
        IReadOnlyList<string>? unsafeSymbols = null,
        IReadOnlyList<string>? bound = null) =>
        new(outcome, toWeaken ?? [], missing ?? [], unsafeSymbols ?? [], bound ?? []);
}
