using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Experiments.Runner.Tests.Infrastructure;

/// <summary>Starts the RunnerFixture experiment project as a real process (`dotnet exec RunnerFixture.dll …`).</summary>
internal static class FixtureApp
{
    /// <summary>Long enough for a loaded 2-core machine; a hung runner fails the test instead of the whole run.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static string AssemblyPath { get; } = typeof(FixtureApp).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RunnerFixturePath").Value!;

    public static FixtureProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        if (!File.Exists(AssemblyPath))
        {
            throw new FileNotFoundException($"The fixture app was not built: {AssemblyPath}");
        }
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(AssemblyPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        return new FixtureProcess(Process.Start(info)!, string.Join(' ', args));
    }
}
