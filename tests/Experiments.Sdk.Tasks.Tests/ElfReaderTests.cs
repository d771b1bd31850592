using Experiments.Sdk.Tasks.Elf;
using Experiments.Sdk.Tasks.LibStdCxx;
using Experiments.Sdk.Tasks.Tests.Support;

namespace Experiments.Sdk.Tasks.Tests;

/// <summary>The hand-written ELF reader on the real binding and the real system libstdc++.</summary>
public sealed class ElfReaderTests
{
    private static readonly ElfFile Binding = ElfFile.Read(PackagedLibTorchSharp.Path);

    [Fact]
    public void Reads_the_bindings_libstdcxx_requirements_with_valid_hashes()
    {
        var need = ElfVersionNeeds.Read(Binding).Single(n => n.File == "libstdc++.so.6");

        Assert.Equal(20, need.Requirements.Count);
        Assert.Contains(need.Requirements, r => r.Name == "GLIBCXX_3.4.30");
        Assert.Contains(need.Requirements, r => r.Name == "CXXABI_1.3.13");
        Assert.All(need.Requirements, r => Assert.Equal(ElfHash.Compute(r.Name), r.Hash));
        var required = Assert.Single(need.Requirements, r => r.Name == "GLIBCXX_3.4.32");
        Assert.False(required.IsWeak);
    }

    [Fact]
    public void Only_ios_base_library_init_is_bound_to_GLIBCXX_3_4_32_and_nothing_relocates_it()
    {
        var index = ElfEdits.Requirement(Binding, "GLIBCXX_3.4.32").Index;
        var symbols = ElfDynamicSymbols.Read(Binding);
        var relocated = ElfDynamicSymbols.ReadRelocations(Binding).Select(r => r.SymbolIndex).ToHashSet();

        var bound = Assert.Single(symbols, s => s.VersionIndex == index);
        Assert.Equal("_ZSt21ios_base_library_initv", bound.Name);
        Assert.False(bound.IsDefined);
        Assert.DoesNotContain(bound.Index, relocated);
        Assert.NotEmpty(relocated);
    }

    [Fact]
    public void Reads_the_runpath_that_lets_the_binding_find_libtorch_next_to_it()
    {
        Assert.StartsWith("$ORIGIN", ElfDynamicSection.ReadSearchPath(Binding)[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Finds_this_systems_libstdcxx_and_its_versions()
    {
        var system = SystemFacts.LibStdCxx;

        Assert.NotNull(system);
        Assert.Contains("GLIBCXX_3.4", system.Versions);
        Assert.Contains("CXXABI_1.3", system.Versions);
        Assert.DoesNotContain(system.Versions, v => v.StartsWith("libstdc++", StringComparison.Ordinal));
        Assert.StartsWith("GLIBCXX_3.4.", system.NewestGlibcxx, StringComparison.Ordinal);
    }

    [Fact]
    public void Parses_ldconfig_output_lines_for_libstdcxx_only()
    {
        string existing = SystemFacts.LibStdCxx!.Path;
        string output = $"""
            3 libs found in cache `/etc/ld.so.cache'
            	libstdc++.so.6 (libc6,x86-64) => {existing}
            	libstdc++.so.6 (libc6) => /nonexistent/libstdc++.so.6
            	libstdc++fs.so.6 (libc6,x86-64) => /usr/lib/libstdc++fs.so.6
            """;

        Assert.Equal([existing], LibStdCxxLocator.ParseLoaderCache(output));
    }

    [Fact]
    public void Rejects_a_file_that_is_not_elf_and_a_truncated_one()
    {
        Assert.Throws<ElfFormatException>(() => ElfFile.Parse("not a library"u8.ToArray()));
        byte[] truncated = File.ReadAllBytes(PackagedLibTorchSharp.Path)[..4096];
        Assert.Throws<ElfFormatException>(() => ElfFile.Parse(truncated));
    }
}
