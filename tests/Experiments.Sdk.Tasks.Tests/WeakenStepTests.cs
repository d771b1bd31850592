using Experiments.Sdk.Tasks;
using Experiments.Sdk.Tasks.Elf;
using Experiments.Sdk.Tasks.Tests.Support;
using Microsoft.Build.Utilities;

namespace Experiments.Sdk.Tasks.Tests;

/// <summary>The build step (WeakenMissingLibStdCxxVersion) on private copies of the real binding.</summary>
public sealed class WeakenStepTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_patched_copy_loads_in_a_fresh_process_and_ldd_reports_the_version_as_weak()
    {
        string folder = _temp.Combine("native");
        string library = PackagedLibTorchSharp.CopyTo(folder);
        PackagedLibTorchSharp.LinkLibTorchInto(folder);
        if (SystemFacts.LacksGlibcxx3432)
        {
            // The control: as shipped, the binding does not load here.
            var (loaded, output) = NativeLoadProbe.TryLoad(library);
            Assert.False(loaded);
            Assert.Contains("GLIBCXX_3.4.32", output, StringComparison.Ordinal);
        }

        // 'always' weakens whatever this machine has, so the patched file is exercised on every system.
        var (ok, engine, _) = Run([library], mode: "always");

        Assert.True(ok, Describe(engine));
        Assert.True(ElfEdits.Requirement(library, "GLIBCXX_3.4.32").IsWeak);
        var probe = NativeLoadProbe.TryLoad(library);
        Assert.True(probe.Loaded, probe.Output);
        if (SystemFacts.LacksGlibcxx3432)
        {
            var ldd = ChildProcess.Run("ldd", library);
            Assert.Contains("weak version `GLIBCXX_3.4.32' not found", ldd.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("=> not found", ldd.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void On_this_machine_the_step_weakens_the_version_exactly_when_the_system_lacks_it()
    {
        string library = PackagedLibTorchSharp.CopyTo(_temp.Combine("out"));

        var (ok, engine, task) = Run([library]);

        Assert.True(ok, Describe(engine));
        Assert.Equal(SystemFacts.LacksGlibcxx3432, ElfEdits.Requirement(library, "GLIBCXX_3.4.32").IsWeak);
        Assert.Equal(SystemFacts.LacksGlibcxx3432 ? 1 : 0, task.PatchedFiles.Length);
    }

    [Fact]
    public void Only_the_vna_flags_of_that_one_entry_change_and_time_stamp_and_mode_are_kept()
    {
        string library = PackagedLibTorchSharp.CopyTo(_temp.Combine("out"));
        File.SetUnixFileMode(library, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead);
        byte[] before = File.ReadAllBytes(library);
        var requirement = ElfEdits.Requirement(library, "GLIBCXX_3.4.32");
        var stamp = File.GetLastWriteTimeUtc(library);

        var (ok, engine, _) = Run([library], SystemFacts.Gcc12Versions);

        Assert.True(ok, Describe(engine));
        byte[] after = File.ReadAllBytes(library);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        Assert.Equal([requirement.FlagsFileOffset], changed);
        Assert.Equal(before[requirement.FlagsFileOffset] | ElfConstants.VersionFlagWeak, after[requirement.FlagsFileOffset]);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(library));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead, File.GetUnixFileMode(library));
        Assert.Empty(Directory.EnumerateFiles(_temp.Combine("out"), "*.tmp", new EnumerationOptions { AttributesToSkip = 0 }));
    }

    [Fact]
    public void Running_twice_changes_nothing_the_second_time()
    {
        string library = PackagedLibTorchSharp.CopyTo(_temp.Combine("out"));
        Assert.True(Run([library], SystemFacts.Gcc12Versions).Ok);
        string once = PackagedLibTorchSharp.Sha256(library);
        string inode = ChildProcess.Inode(library);

        var (ok, engine, task) = Run([library], SystemFacts.Gcc12Versions);

        Assert.True(ok, Describe(engine));
        Assert.Empty(task.PatchedFiles);
        Assert.Equal(once, PackagedLibTorchSharp.Sha256(library));
        Assert.Equal(inode, ChildProcess.Inode(library));
        Assert.Contains(engine.Messages, m => m.Message!.Contains("already weak", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_changes_when_the_system_has_the_version()
    {
        string library = PackagedLibTorchSharp.CopyTo(_temp.Combine("out"));
        string before = PackagedLibTorchSharp.Sha256(library);
        string inode = ChildProcess.Inode(library);

        var (ok, engine, task) = Run([library], [.. SystemFacts.Gcc12Versions, "GLIBCXX_3.4.31", "GLIBCXX_3.4.32"]);

        Assert.True(ok, Describe(engine));
        Assert.Empty(task.PatchedFiles);
        Assert.Equal(before, PackagedLibTorchSharp.Sha256(library));
        Assert.Equal(inode, ChildProcess.Inode(library));
    }

    [Fact]
    public void Nothing_changes_with_mode_never()
    {
        string library = PackagedLibTorchSharp.CopyTo(_temp.Combine("out"));
        string before = PackagedLibTorchSharp.Sha256(library);

        var (ok, engine, _) = Run([library], SystemFacts.Gcc12Versions, mode: "never");

        Assert.True(ok, Describe(engine));
        Assert.Equal(before, PackagedLibTorchSharp.Sha256(library));
    }

    [Fact]
    public void Files_with_other_names_are_not_touched()
    {
        string folder = _temp.Combine("out");
        string library = PackagedLibTorchSharp.CopyTo(folder);
        string other = Path.Combine(folder, "libtorch_binding_copy.so");
        File.Move(library, other);
        string before = PackagedLibTorchSharp.Sha256(other);

        var (ok, engine, task) = Run([other], SystemFacts.Gcc12Versions);

        Assert.True(ok, Describe(engine));
        Assert.Empty(task.PatchedFiles);
        Assert.Equal(before, PackagedLibTorchSharp.Sha256(other));
    }

    [Fact]
    public void A_library_that_needs_another_missing_version_fails_the_step_with_a_clear_message()
    {
        string library = PackagedLibTorchSharp.CopyTo(_temp.Combine("out"));
        ElfEdits.RenameNeededVersion(library, "GLIBCXX_3.4.30", "GLIBCXX_3.4.99");
        string before = PackagedLibTorchSharp.Sha256(library);

        var (ok, engine, _) = Run([library], SystemFacts.Gcc12Versions);

        Assert.False(ok);
        var error = Assert.Single(engine.Errors);
        Assert.Equal("EXPTORCH001", error.Code);
        Assert.Equal(library, error.File);
        Assert.Contains(library, error.Message, StringComparison.Ordinal);
        Assert.Contains("needs GLIBCXX_3.4.99 from libstdc++.so.6", error.Message, StringComparison.Ordinal);
        Assert.Contains("newest GLIBCXX_3.4.30", error.Message, StringComparison.Ordinal);
        Assert.Contains("Only GLIBCXX_3.4.32 can be made optional", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, PackagedLibTorchSharp.Sha256(library));
    }

    [Fact]
    public void A_library_whose_only_missing_version_is_another_one_fails_the_same_way()
    {
        string library = PackagedLibTorchSharp.CopyTo(_temp.Combine("out"));
        ElfEdits.RenameNeededVersion(library, "GLIBCXX_3.4.32", "GLIBCXX_3.4.99");

        var (ok, engine, _) = Run([library], SystemFacts.Gcc12Versions);

        Assert.False(ok);
        var error = Assert.Single(engine.Errors);
        Assert.Equal("EXPTORCH001", error.Code);
        Assert.Contains("GLIBCXX_3.4.99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_real_system_lookup_also_refuses_a_version_this_machine_lacks()
    {
        string library = PackagedLibTorchSharp.CopyTo(_temp.Combine("out"));
        ElfEdits.RenameNeededVersion(library, "GLIBCXX_3.4.30", "GLIBCXX_9.9.99");

        var (ok, engine, _) = Run([library]);

        Assert.False(ok);
        var error = Assert.Single(engine.Errors);
        Assert.Equal("EXPTORCH001", error.Code);
        Assert.Contains("GLIBCXX_9.9.99", error.Message, StringComparison.Ordinal);
        Assert.Contains(SystemFacts.LibStdCxx!.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_symbol_bound_to_the_version_fails_the_step_naming_it()
    {
        string library = PackagedLibTorchSharp.CopyTo(_temp.Combine("out"));
        const string symbol = "_ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE";
        ElfEdits.BindSymbolToVersion(library, symbol, "GLIBCXX_3.4.32");
        string before = PackagedLibTorchSharp.Sha256(library);

        var (ok, engine, _) = Run([library], SystemFacts.Gcc12Versions);

        Assert.False(ok);
        var error = Assert.Single(engine.Errors);
        Assert.Equal("EXPTORCH002", error.Code);
        Assert.Contains(library, error.Message, StringComparison.Ordinal);
        Assert.Contains("GLIBCXX_3.4.32", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{symbol} (not on the list of symbols known to be harmless)", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, PackagedLibTorchSharp.Sha256(library));
    }

    [Fact]
    public void A_relocation_against_the_harmless_symbol_fails_the_step()
    {
        string library = PackagedLibTorchSharp.CopyTo(_temp.Combine("out"));
        ElfEdits.RelocateAgainst(library, "_ZSt21ios_base_library_initv", ".rela.plt");

        var (ok, engine, _) = Run([library], SystemFacts.Gcc12Versions);

        Assert.False(ok);
        var error = Assert.Single(engine.Errors);
        Assert.Equal("EXPTORCH002", error.Code);
        Assert.Contains("_ZSt21ios_base_library_initv (relocation in .rela.plt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_version_hash_is_reported_not_patched()
    {
        string library = PackagedLibTorchSharp.CopyTo(_temp.Combine("out"));
        byte[] bytes = File.ReadAllBytes(library);
        bytes[ElfEdits.Requirement(library, "GLIBCXX_3.4.32").EntryFileOffset] ^= 0xff;
        File.WriteAllBytes(library, bytes);

        var (ok, engine, _) = Run([library], SystemFacts.Gcc12Versions);

        Assert.False(ok);
        Assert.Equal("EXPTORCH003", Assert.Single(engine.Errors).Code);
    }

    [Fact]
    public void A_file_that_is_not_elf_fails_the_step()
    {
        string library = _temp.Combine(PackagedLibTorchSharp.FileName);
        File.WriteAllText(library, "not a library");

        var (ok, engine, _) = Run([library], SystemFacts.Gcc12Versions);

        Assert.False(ok);
        var error = Assert.Single(engine.Errors);
        Assert.Equal("EXPTORCH003", error.Code);
        Assert.Contains(library, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hard_linked_original_is_never_edited()
    {
        // Stands in for the NuGet cache: the output copy is a hard link to it (CreateHardLinksForCopyLocalIfPossible).
        string original = PackagedLibTorchSharp.CopyTo(_temp.Combine("cache"));
        string output = _temp.Combine("out", PackagedLibTorchSharp.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        Assert.Equal(0, ChildProcess.Run("ln", original, output).ExitCode);
        Assert.Equal(2, ChildProcess.LinkCount(original));
        string originalHash = PackagedLibTorchSharp.Sha256(original);
        string originalInode = ChildProcess.Inode(original);

        var (ok, engine, _) = Run([output], SystemFacts.Gcc12Versions);

        Assert.True(ok, Describe(engine));
        Assert.Equal(originalHash, PackagedLibTorchSharp.Sha256(original));
        Assert.Equal(originalInode, ChildProcess.Inode(original));
        Assert.Equal(1, ChildProcess.LinkCount(original));
        Assert.NotEqual(originalInode, ChildProcess.Inode(output));
        Assert.False(ElfEdits.Requirement(original, "GLIBCXX_3.4.32").IsWeak);
        Assert.True(ElfEdits.Requirement(output, "GLIBCXX_3.4.32").IsWeak);
    }

    [Fact]
    public void A_symbolic_link_to_the_original_is_replaced_not_followed()
    {
        string original = PackagedLibTorchSharp.CopyTo(_temp.Combine("cache"));
        string output = _temp.Combine("out", PackagedLibTorchSharp.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.CreateSymbolicLink(output, original);
        string originalHash = PackagedLibTorchSharp.Sha256(original);

        var (ok, engine, _) = Run([output], SystemFacts.Gcc12Versions);

        Assert.True(ok, Describe(engine));
        Assert.Equal(originalHash, PackagedLibTorchSharp.Sha256(original));
        Assert.Null(new FileInfo(output).LinkTarget);
        Assert.True(ElfEdits.Requirement(output, "GLIBCXX_3.4.32").IsWeak);
        Assert.Equal(File.GetLastWriteTimeUtc(original), File.GetLastWriteTimeUtc(output));
    }

    [Fact]
    public void An_unknown_mode_is_an_error()
    {
        var (ok, engine, _) = Run([], mode: "sometimes");

        Assert.False(ok);
        Assert.Equal("EXPTORCH009", Assert.Single(engine.Errors).Code);
    }

    private static (bool Ok, FakeBuildEngine Engine, WeakenMissingLibStdCxxVersion Task) Run(
        string[] files, string[]? systemVersions = null, string mode = "auto")
    {
        var engine = new FakeBuildEngine();
        var task = new WeakenMissingLibStdCxxVersion
        {
            BuildEngine = engine,
            NativeFiles = files.Select(f => new TaskItem(f)).ToArray(),
            SystemLibStdCxxVersions = systemVersions,
            Mode = mode,
        };
        return (task.Execute(), engine, task);
    }

    private static string Describe(FakeBuildEngine engine) =>
        string.Join(Environment.NewLine, engine.Errors.Select(e => $"{e.Code}: {e.Message}").Concat(engine.Warnings.Select(w => $"{w.Code}: {w.Message}")));
}
