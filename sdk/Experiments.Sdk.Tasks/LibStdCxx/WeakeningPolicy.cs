namespace Experiments.Sdk.Tasks.LibStdCxx;

/// <summary>
/// Which libstdc++ version requirement may be made weak, and which symbols bound to it are known to be harmless.
/// </summary>
/// <remarks>
/// GCC 13's &lt;iostream&gt; references <c>std::ios_base_library_init()</c> (GLIBCXX_3.4.32) only to force the
/// iostream initialiser to be linked; nothing calls it, so a loader that lacks the version loses nothing.
/// Any other symbol would be a real call into a newer libstdc++ that this system does not have.
/// </remarks>
internal sealed record WeakeningPolicy(string LibraryFile, string AllowedVersion, IReadOnlySet<string> HarmlessSymbols)
{
    public static WeakeningPolicy Default { get; } = new(
        LibStdCxxLocator.SonameFile,
        "GLIBCXX_3.4.32",
        new HashSet<string>(StringComparer.Ordinal) { "_ZSt21ios_base_library_initv" });
}
