using System.Reflection;

namespace Experiments.Sdk.Tests.Infrastructure;

/// <summary>Paths into the repository under test, baked into this assembly at build time.</summary>
internal static class RepoLayout
{
    public static string Root { get; } = Path.GetFullPath(Metadata("Experiments.RepoRoot"));

    /// <summary>The configuration this test assembly (and so, normally, the rest of the repository) was built in.</summary>
    public static string Configuration { get; } = Metadata("Experiments.Configuration");

    public static string SdkDirectory { get; } = Path.Combine(Root, "sdk", "Experiments.Sdk");

    public static string SdkProps { get; } = Path.Combine(SdkDirectory, "Sdk", "Sdk.props");

    public static string SdkTargets { get; } = Path.Combine(SdkDirectory, "Sdk", "Sdk.targets");

    /// <summary>The projects that become packages, the SDK first; the generator and its code fixes are built with them (they ship inside Experiments).</summary>
    public static IReadOnlyList<string> PackedProjects { get; } =
    [
        Path.Combine(SdkDirectory, "Experiments.Sdk.csproj"),
        Path.Combine(Root, "analyzers", "Experiments.Generators", "Experiments.Generators.csproj"),
        Path.Combine(Root, "analyzers", "Experiments.CodeFixes", "Experiments.CodeFixes.csproj"),
        Path.Combine(Root, "sdk", "Experiments", "Experiments.csproj"),
        Path.Combine(Root, "sdk", "Experiments.Store.Sqlite", "Experiments.Store.Sqlite.csproj"),
        Path.Combine(Root, "sdk", "Experiments.Store.Postgres", "Experiments.Store.Postgres.csproj"),
        Path.Combine(Root, "sdk", "Experiments.Reports", "Experiments.Reports.csproj"),
        Path.Combine(Root, "sdk", "Experiments.Runner", "Experiments.Runner.csproj"),
        Path.Combine(Root, "sdk", "Experiments.Testing", "Experiments.Testing.csproj"),
    ];

    private static string Metadata(string key) =>
        typeof(RepoLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' is missing; it is set by Experiments.Sdk.Tests.csproj.");
}
