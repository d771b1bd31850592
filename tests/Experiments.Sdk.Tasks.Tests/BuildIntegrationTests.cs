using System.Reflection;
using Experiments.Sdk.Tasks.Tests.Support;

namespace Experiments.Sdk.Tasks.Tests;

/// <summary>
/// The targets in a real `dotnet build` of a small console project that uses TorchSharp, with
/// copy-local files hard-linked into the NuGet cache (the case where an in-place edit would corrupt it).
/// </summary>
public sealed class BuildIntegrationTests : IDisposable
{
    private static readonly string TargetsPath = typeof(BuildIntegrationTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "Experiments.Sdk.Tasks.Tests.TorchSharpTargets")
        .Value!;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Build_weakens_the_output_copy_is_incremental_and_catches_a_relinked_original()
    {
        string project = WriteConsumerProject();
        string output = _temp.Combine("bin", "Debug", "net10.0", "runtimes", "linux-x64", "native", PackagedLibTorchSharp.FileName);
        string cacheHash = PackagedLibTorchSharp.Sha256(PackagedLibTorchSharp.Path);

        var first = Build(project);
        Assert.Equal(SystemFacts.LacksGlibcxx3432, first.Contains("Experiments: marked GLIBCXX_3.4.32 weak", StringComparison.Ordinal));
        Assert.Equal(SystemFacts.LacksGlibcxx3432, ElfEdits.Requirement(output, "GLIBCXX_3.4.32").IsWeak);
        var run = ChildProcess.Run(NativeLoadProbe.DotnetHost, _temp.Combine("bin", "Debug", "net10.0", "consumer.dll"));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"sum=18 binding={output}", run.Output, StringComparison.Ordinal);

        var second = Build(project);
        Assert.Contains("Skipping target \"_ExperimentsWeakenLibTorchSharpCopies\" because all output files are up-to-date", second, StringComparison.Ordinal);

        // What the copy step does when it copies again with hard links: the output becomes the cache's file, old time stamp and all.
        File.Delete(output);
        Assert.Equal(0, ChildProcess.Run("ln", PackagedLibTorchSharp.Path, output).ExitCode);
        var third = Build(project);
        Assert.Equal(SystemFacts.LacksGlibcxx3432, third.Contains("Experiments: marked GLIBCXX_3.4.32 weak", StringComparison.Ordinal));
        Assert.Equal(SystemFacts.LacksGlibcxx3432, ElfEdits.Requirement(output, "GLIBCXX_3.4.32").IsWeak);

        Assert.Equal(cacheHash, PackagedLibTorchSharp.Sha256(PackagedLibTorchSharp.Path));
        Assert.False(ElfEdits.Requirement(PackagedLibTorchSharp.Path, "GLIBCXX_3.4.32").IsWeak);
    }

    private string WriteConsumerProject()
    {
        string project = _temp.Combine("consumer.csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <CreateHardLinksForCopyLocalIfPossible>true</CreateHardLinksForCopyLocalIfPossible>
              </PropertyGroup>
              <Import Project="{TargetsPath}" />
            </Project>
            """);
        File.WriteAllText(_temp.Combine("Program.cs"), """
            using TorchSharp;
            var sum = (torch.ones(3, 3) * 2).sum().item<float>();
            var binding = File.ReadLines("/proc/self/maps").Select(l => l.IndexOf('/') is var i and >= 0 ? l[i..] : "")
                .First(p => p.EndsWith("libLibTorchSharp.so", StringComparison.Ordinal));
            Console.WriteLine($"sum={sum} binding={binding}");
            """);
        return project;
    }

    private static string Build(string project)
    {
        var (exitCode, output) = ChildProcess.Run(
            NativeLoadProbe.DotnetHost,
            ["build", project, "-v:n", "--disable-build-servers", "-nologo"],
            environment => { foreach (string name in InheritedBuildVariables(environment)) { environment.Remove(name); } });
        Assert.True(exitCode == 0, output);
        return output;
    }

    /// <summary>Variables the outer `dotnet test` sets for its own MSBuild, which must not steer the inner build.</summary>
    private static List<string> InheritedBuildVariables(IDictionary<string, string?> environment) =>
        environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k == "DOTNET_HOST_PATH").ToList();
}
