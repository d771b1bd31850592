using System.Text.RegularExpressions;
using Experiments.Sdk.Tests.Infrastructure;

namespace Experiments.Sdk.Tests.FromSource;

/// <summary>
/// tests/inputs/BrokenQuickStart is examples/QuickStart with mistakes a user makes (a typo in a known set, a value of
/// the wrong type, a duplicate, zero repeats, a misspelt objective). `dotnet build` must fail with each diagnostic at
/// the attribute argument that causes it.
/// </summary>
public sealed class BrokenQuickStartTests(ITestOutputHelper log)
{
    private static readonly string ProjectDirectory = Path.Combine(RepoLayout.Root, "tests", "inputs", "BrokenQuickStart");

    [Fact]
    public void The_build_fails_with_each_mistake_located_at_its_argument()
    {
        var source = File.ReadAllLines(Path.Combine(ProjectDirectory, "ToyClassification.cs"));
        (string Id, int Line, int Column) At(string id, string lineContains, string token)
        {
            var line = Array.FindIndex(source, l => l.Contains(lineContains, StringComparison.Ordinal));
            Assert.True(line >= 0, $"'{lineContains}' not found in the test input");
            return (id, line + 1, source[line].IndexOf(token, StringComparison.Ordinal) + 1);
        }
        var expected = new[]
        {
            At("EXP010", "Repeats = 0", "0,"),
            At("EXP011", "Objective = \"error_rte\"", "\"error_rte\""),
            At("EXP006", "\"spirls\"", "\"spirls\""),
            At("EXP005", "[Values(2, \"8\", 32)]", "\"8\""),
            At("EXP004", "[Values(0.1, 0.5, 0.1)]", "0.1)"),
        };

        var result = DotNetCli.Run(ProjectDirectory, ["build", "-c", RepoLayout.Configuration, "-tl:off", "-nodeReuse:false"], log: log);

        result.ShouldFail();
        var reported = Regex.Matches(result.Output, @"ToyClassification\.cs\((\d+),(\d+)\): (?:error|warning) (EXP\d{3})")
            .Select(m => (Id: m.Groups[3].Value, Line: int.Parse(m.Groups[1].Value), Column: int.Parse(m.Groups[2].Value)))
            .Distinct()
            .ToList();
        Assert.Equal(expected.OrderBy(d => d.Id), reported.OrderBy(d => d.Id));
        Assert.Contains("did you mean 'spirals'?", result.Output);
    }
}
