using System.Security;
using Experiments.Sdk.Tests.Infrastructure;
using Experiments.Sdk.Tests.Templates;

namespace Experiments.Sdk.Tests.EndToEnd;

/// <summary>
/// Packs Experiments.Sdk, the runtime packages and the <c>dotnet new</c> templates once into a fresh feed in a temp folder
/// (outside the repository), and lays out what a user's machine would have: a nuget.config with only that feed and the
/// upstream source, and a packages folder of its own so the freshly packed version never meets a copy cached by an
/// earlier run.
/// </summary>
public sealed class PackedSdkFixture : IDisposable
{
    /// <summary>The upstream source a user restores third-party packages from; override for a mirror.</summary>
    private static readonly string UpstreamSource =
        Environment.GetEnvironmentVariable("EXPERIMENTS_E2E_UPSTREAM_SOURCE") is { Length: > 0 } source ? source : "https://api.nuget.org/v3/index.json";

    private readonly TempFolder _folder = TempFolder.Create("experiments-sdk-e2e");
    private readonly Exception? _packError;

    public PackedSdkFixture()
    {
        FeedDirectory = _folder.Combine("feed");
        PackagesDirectory = _folder.Combine("packages");
        _folder.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="packages" />
              </config>
              <packageSources>
                <clear />
                <add key="experiments-local" value="feed" />
                <add key="upstream" value="{SecurityElement.Escape(UpstreamSource)}" />
              </packageSources>
            </configuration>
            """);
        try
        {
            PackResult = Pack();
            var sdkPackage = Directory.GetFiles(FeedDirectory, "Experiments.Sdk.*.nupkg").Single();
            Version = Path.GetFileNameWithoutExtension(sdkPackage)["Experiments.Sdk.".Length..];
        }
        catch (Exception e)
        {
            _packError = e;
        }
    }

    public string FeedDirectory { get; }

    /// <summary>The isolated global packages folder (also given to every command as NUGET_PACKAGES).</summary>
    public string PackagesDirectory { get; }

    internal CommandResult? PackResult { get; }

    public string Version { get; } = "";

    public string PackageFile(string id)
    {
        EnsurePacked();
        return Path.Combine(FeedDirectory, $"{id}.{Version}.nupkg");
    }

    /// <summary>Fails the calling test with the pack output when packing did not work.</summary>
    public void EnsurePacked()
    {
        if (_packError is not null)
        {
            Assert.Fail($"Packing the SDK failed: {_packError.Message}");
        }
        PackResult!.ShouldSucceed();
    }

    /// <summary>A project folder with exactly what a user writes: the SDK line and one declaration file.</summary>
    public string CreateUserProject(string name, string declaration)
    {
        EnsurePacked();
        _folder.Write(Path.Combine(name, $"{name}.csproj"), $"<Project Sdk=\"Experiments.Sdk/{Version}\" />\n");
        _folder.Write(Path.Combine(name, "Sweep.cs"), declaration);
        return _folder.Combine(name);
    }

    /// <summary>A new empty folder beside the user projects (under the feed's nuget.config), e.g. for <c>dotnet new</c>.</summary>
    public string CreateFolder(string name)
    {
        EnsurePacked();
        return Directory.CreateDirectory(_folder.Combine(name)).FullName;
    }

    internal CommandResult DotNet(string workingDirectory, ITestOutputHelper log, params string[] arguments) =>
        DotNetCli.Run(workingDirectory, arguments, new Dictionary<string, string> { ["NUGET_PACKAGES"] = PackagesDirectory }, TimeSpan.FromMinutes(4), log);

    public void Dispose() => _folder.Dispose();

    private CommandResult Pack()
    {
        // One solution file listing the packed projects, so one `dotnet pack` (one restore, one build graph) does them all.
        var solution = _folder.Write("pack.slnx", $"""
            <Solution>
            {string.Concat(RepoLayout.PackedProjects.Append(TemplateLayout.Project).Select(p => $"  <Project Path=\"{SecurityElement.Escape(p)}\" />\n"))}</Solution>
            """);
        // Built into the temp folder (--artifacts-path), not the repository's bin/obj that other builds may be using.
        // Run from the repository root so its global.json picks the SDK.
        return DotNetCli.Run(RepoLayout.Root,
            ["pack", solution, "-c", "Release", "--artifacts-path", _folder.Combine("build"), $"-p:PackageOutputPath={FeedDirectory}/", "-tl:off", "-nodeReuse:false"],
            timeout: TimeSpan.FromMinutes(6));
    }
}

[CollectionDefinition(Name)]
public sealed class PackedSdkCollection : ICollectionFixture<PackedSdkFixture>
{
    public const string Name = "Packed SDK";
}
