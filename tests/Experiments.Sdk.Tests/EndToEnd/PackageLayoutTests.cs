using System.IO.Compression;
using System.Xml.Linq;

namespace Experiments.Sdk.Tests.EndToEnd;

/// <summary>What each package carries, read from the .nupkg files the fixture packed.</summary>
[Collection(PackedSdkCollection.Name)]
public sealed class PackageLayoutTests(PackedSdkFixture sdk)
{
    [Fact]
    public void The_sdk_package_is_an_msbuild_sdk_with_its_version_stamped()
    {
        using var package = ZipFile.OpenRead(sdk.PackageFile("Experiments.Sdk"));

        Assert.Equal(
            ["README.md", "Sdk/Sdk.props", "Sdk/Sdk.targets", "build/Experiments.Sdk.Version.props", "build/Experiments.Sdk.props", "build/Experiments.Sdk.targets",
             "build/Experiments.TorchSharp.NativeStep.proj", "build/Experiments.TorchSharp.targets", "build/ExperimentsTestPlatformProgram.cs",
             "tasks/net10.0/Experiments.Sdk.Tasks.dll"],
            Content(package).Order(StringComparer.Ordinal));
        var nuspec = Nuspec(package);
        Assert.Equal("MSBuildSdk", nuspec.Descendants(nuspec.Name.Namespace + "packageType").Single().Attribute("name")?.Value);
        Assert.Empty(nuspec.Descendants(nuspec.Name.Namespace + "dependency"));
        var versionProps = XDocument.Parse(Read(package, "build/Experiments.Sdk.Version.props"));
        Assert.Equal(sdk.Version, versionProps.Descendants("ExperimentsSdkVersion").Single().Value);
    }

    [Fact]
    public void The_runtime_package_carries_the_generator_and_its_code_fixes()
    {
        using var package = ZipFile.OpenRead(sdk.PackageFile("Experiments"));

        var content = Content(package).ToList();
        Assert.Contains("lib/net10.0/Experiments.dll", content);
        Assert.Contains("analyzers/dotnet/cs/Experiments.Generators.dll", content);
        // Next to the generator, for the editor; Roslyn's Workspaces comes with the editor, not as a dependency.
        Assert.Contains("analyzers/dotnet/cs/Experiments.CodeFixes.dll", content);
        Assert.Empty(Dependencies(package));
    }

    [Theory]
    [InlineData("Experiments.Store.Sqlite", new[] { "Experiments" })]
    [InlineData("Experiments.Store.Postgres", new[] { "Experiments" })]
    [InlineData("Experiments.Reports", new[] { "Experiments" })]
    [InlineData("Experiments.Runner", new[] { "Experiments", "Experiments.Store.Sqlite", "Experiments.Store.Postgres", "Experiments.Reports" })]
    [InlineData("Experiments.Testing", new[] { "Experiments.Runner" })]
    public void The_library_packages_bring_their_siblings_at_the_same_version(string id, string[] siblings)
    {
        using var package = ZipFile.OpenRead(sdk.PackageFile(id));

        Assert.Contains($"lib/net10.0/{id}.dll", Content(package));
        var dependencies = Dependencies(package);
        Assert.All(siblings, sibling => Assert.Equal(sdk.Version, dependencies.GetValueOrDefault(sibling)));
        Assert.DoesNotContain("Experiments.Generators", dependencies.Keys);
    }

    private static IEnumerable<string> Content(ZipArchive package) =>
        package.Entries.Select(e => e.FullName)
            .Where(name => !name.StartsWith("_rels/", StringComparison.Ordinal) && !name.StartsWith("package/", StringComparison.Ordinal)
                && name != "[Content_Types].xml" && !name.EndsWith(".nuspec", StringComparison.Ordinal) && !name.EndsWith(".xml", StringComparison.Ordinal));

    private static XElement Nuspec(ZipArchive package) =>
        XDocument.Parse(Read(package, package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).FullName)).Root!;

    private static Dictionary<string, string> Dependencies(ZipArchive package)
    {
        var nuspec = Nuspec(package);
        return nuspec.Descendants(nuspec.Name.Namespace + "dependency")
            .ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);
    }

    private static string Read(ZipArchive package, string entry)
    {
        using var reader = new StreamReader(package.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }
}
