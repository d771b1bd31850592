using Experiments.Sdk.Tasks.Elf;
using Experiments.Sdk.Tasks.LibStdCxx;

namespace Experiments.Sdk.Tasks.Tests.Support;

/// <summary>What this machine's libstdc++ provides, and a fixed stand-in for an older system.</summary>
internal static class SystemFacts
{
    private static readonly Lazy<SystemLibStdCxx?> System = new(() =>
    {
        var library = ElfFile.Read(PackagedLibTorchSharp.Path);
        string? path = LibStdCxxLocator.Locate(library, PackagedLibTorchSharp.Path, []);
        return path is null ? null : SystemLibStdCxx.Read(path);
    });

    public static SystemLibStdCxx? LibStdCxx => System.Value;

    /// <summary>True where the packaged binding cannot load as shipped (Debian 12, Ubuntu 22.04).</summary>
    public static bool LacksGlibcxx3432 => LibStdCxx is { } system && !system.Versions.Contains("GLIBCXX_3.4.32");

    /// <summary>The versions GCC 12's libstdc++ defines (Debian 12): GLIBCXX_3.4 … 3.4.30, CXXABI_1.3 … 1.3.13.</summary>
    public static string[] Gcc12Versions { get; } =
    [
        "GLIBCXX_3.4", .. Enumerable.Range(1, 30).Select(i => $"GLIBCXX_3.4.{i}"),
        "CXXABI_1.3", .. Enumerable.Range(1, 13).Select(i => $"CXXABI_1.3.{i}"),
        "CXXABI_TM_1", "CXXABI_FLOAT128",
    ];
}
