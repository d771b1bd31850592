using Experiments.Sdk.Tasks.Elf;

namespace Experiments.Sdk.Tasks.LibStdCxx;

/// <summary>A libstdc++ on this machine and the symbol versions it defines.</summary>
internal sealed record SystemLibStdCxx(string Path, IReadOnlySet<string> Versions)
{
    public static SystemLibStdCxx Read(string path) =>
        new(path, ElfVersionDefinitions.Read(ElfFile.Read(path)).ToHashSet(StringComparer.Ordinal));

    /// <summary>The newest GLIBCXX_x.y.z defined (for messages), or null.</summary>
    public string? NewestGlibcxx => NewestOf(Versions, "GLIBCXX_");

    public static string? NewestOf(IEnumerable<string> versions, string prefix) =>
        versions
            .Where(v => v.StartsWith(prefix, StringComparison.Ordinal))
            .Select(v => (Name: v, Parsed: Version.TryParse(v[prefix.Length..], out var parsed) ? parsed : null))
            .Where(v => v.Parsed is not null)
            .OrderByDescending(v => v.Parsed)
            .Select(v => v.Name)
            .FirstOrDefault();
}
