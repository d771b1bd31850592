using System.Text.RegularExpressions;

namespace Experiments.Sdk.Tests.Infrastructure;

/// <summary>What a finished <c>dotnet</c> command left behind.</summary>
internal sealed record CommandResult(string CommandLine, int ExitCode, string StandardOutput, string Output, TimeSpan Duration)
{
    public IEnumerable<string> Lines => Output.Split('\n').Select(line => line.TrimEnd('\r'));

    public bool Succeeded => ExitCode == 0;

    /// <summary>Fails the test with the command's output when it did not exit with 0.</summary>
    public CommandResult ShouldSucceed()
    {
        Assert.True(Succeeded, Describe("should have succeeded"));
        return this;
    }

    public CommandResult ShouldFail()
    {
        Assert.False(Succeeded, Describe("should have failed"));
        return this;
    }

    public CommandResult ShouldContainLine(string pattern)
    {
        Assert.True(Lines.Any(line => Regex.IsMatch(line, pattern)), Describe($"should have printed a line matching /{pattern}/"));
        return this;
    }

    public CommandResult ShouldContain(string text)
    {
        Assert.True(Output.Contains(text, StringComparison.Ordinal), Describe($"should have printed '{text}'"));
        return this;
    }

    public CommandResult ShouldNotContain(string text)
    {
        Assert.False(Output.Contains(text, StringComparison.Ordinal), Describe($"should not have printed '{text}'"));
        return this;
    }

    public string Describe(string expectation)
    {
        const int Tail = 6000;
        var output = Output.Length > Tail ? "…" + Output[^Tail..] : Output;
        return $"`{CommandLine}` {expectation} (exit code {ExitCode}, {Duration.TotalSeconds:F1} s). Output:\n{output}";
    }
}
