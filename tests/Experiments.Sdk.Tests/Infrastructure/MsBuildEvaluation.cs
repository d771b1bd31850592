using System.Text.Json;

namespace Experiments.Sdk.Tests.Infrastructure;

/// <summary>
/// Properties and items of a project as MSBuild evaluates them, read with <c>dotnet msbuild -getProperty/-getItem</c>
/// (no restore, no build).
/// </summary>
internal sealed class MsBuildEvaluation
{
    private readonly JsonElement _root;

    private MsBuildEvaluation(JsonElement root) => _root = root;

    public static MsBuildEvaluation Of(string projectPath, IEnumerable<string> properties, IEnumerable<string>? items = null, IEnumerable<string>? extraArguments = null)
    {
        // One property alone prints a bare value; asking for one more always gives JSON.
        var arguments = new List<string> { "msbuild", projectPath, "-nologo", "-getProperty:MSBuildProjectName" };
        arguments.AddRange(properties.Select(p => $"-getProperty:{p}"));
        arguments.AddRange((items ?? []).Select(i => $"-getItem:{i}"));
        arguments.AddRange(extraArguments ?? []);
        var result = DotNetCli.Run(Path.GetDirectoryName(projectPath)!, arguments).ShouldSucceed();
        using var document = JsonDocument.Parse(result.StandardOutput);
        return new MsBuildEvaluation(document.RootElement.Clone());
    }

    public string Property(string name) =>
        _root.GetProperty("Properties").TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";

    /// <summary>The items of a type, each as its metadata (Identity included).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Items(string type)
    {
        if (!_root.TryGetProperty("Items", out var items) || !items.TryGetProperty(type, out var list))
        {
            return [];
        }
        return list.EnumerateArray()
            .Select(item => (IReadOnlyDictionary<string, string>)item.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.OrdinalIgnoreCase))
            .ToList();
    }
}
