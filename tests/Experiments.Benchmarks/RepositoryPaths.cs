using System.Reflection;

namespace Experiments.Benchmarks;

/// <summary>Where the repository is (stamped at build time): the generated experiment project imports the SDK from it.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = typeof(RepositoryPaths).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "Experiments.Benchmarks.RepositoryRoot").Value!;

    /// <summary>Default folder of a run's results: <c>artifacts/benchmarks/&lt;UTC timestamp&gt;/</c> under the repository.</summary>
    public static string DefaultOutput() => Path.Combine(Root, "artifacts", "benchmarks", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
}
