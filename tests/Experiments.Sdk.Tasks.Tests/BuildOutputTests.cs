using Experiments.Sdk.Tasks.Tests.Support;

namespace Experiments.Sdk.Tasks.Tests;

/// <summary>What this project's own build did to its output (the step ran as part of `dotnet build`).</summary>
public sealed class BuildOutputTests
{
    private static readonly string OutputCopy = Path.Combine(PackagedLibTorchSharp.OutputNativeFolder, PackagedLibTorchSharp.FileName);

    [Fact]
    public void The_output_copy_is_weakened_exactly_when_this_system_needs_it()
    {
        Assert.True(File.Exists(OutputCopy), OutputCopy);
        Assert.Equal(SystemFacts.LacksGlibcxx3432, ElfEdits.Requirement(OutputCopy, "GLIBCXX_3.4.32").IsWeak);
        if (!SystemFacts.LacksGlibcxx3432)
        {
            Assert.Equal(PackagedLibTorchSharp.Sha256(PackagedLibTorchSharp.Path), PackagedLibTorchSharp.Sha256(OutputCopy));
        }
    }

    [Fact]
    public void The_package_in_the_nuget_cache_is_left_as_shipped()
    {
        Assert.False(ElfEdits.Requirement(PackagedLibTorchSharp.Path, "GLIBCXX_3.4.32").IsWeak);
    }

    [Fact]
    public void The_output_copy_keeps_the_packages_size_and_time_stamp_so_the_copy_step_leaves_it()
    {
        var packaged = new FileInfo(PackagedLibTorchSharp.Path);
        var output = new FileInfo(OutputCopy);

        Assert.Equal(packaged.Length, output.Length);
        Assert.Equal(packaged.LastWriteTimeUtc, output.LastWriteTimeUtc);
    }
}
