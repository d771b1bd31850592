using System.Security;
using Experiments.Sdk.Tests.Infrastructure;

namespace Experiments.Sdk.Tests.FromSource;

/// <summary>
/// A project in a temp folder that imports the SDK's Sdk.props and Sdk.targets from the repository by path — what a
/// project inside the repository does — so the SDK is tested without packing it.
/// </summary>
internal static class SourceProject
{
    /// <param name="items">MSBuild text placed between the imports (the project body).</param>
    /// <param name="fromSource">Whether the SDK uses project references (true) or package references (false).</param>
    public static string Write(TempFolder folder, string items = "", bool fromSource = true, string name = "Sweeps")
    {
        var project = $"""
            <Project>
              <PropertyGroup>
                <ExperimentsFromSource>{(fromSource ? "true" : "false")}</ExperimentsFromSource>
              </PropertyGroup>
              <Import Project="{SecurityElement.Escape(RepoLayout.SdkProps)}" />
            {items}
              <Import Project="{SecurityElement.Escape(RepoLayout.SdkTargets)}" />
            </Project>
            """;
        return folder.Write(Path.Combine(name, $"{name}.csproj"), project);
    }
}
