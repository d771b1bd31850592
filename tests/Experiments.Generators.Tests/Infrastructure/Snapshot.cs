using System.Runtime.CompilerServices;

namespace Experiments.Generators.Tests.Infrastructure;

/// <summary>
/// Checked-in snapshots of generated code: <c>Snapshots/NAME.verified.cs</c>. On a mismatch the actual text is
/// written beside it as <c>NAME.received.cs</c> (git-ignored) and the test fails showing the first differing line;
/// with <c>UPDATE_SNAPSHOTS=1</c> the verified file is rewritten instead.
/// </summary>
internal static class Snapshot
{
    public static void Match(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        var folder = Path.Combine(ProjectDirectory(callerPath), "Snapshots");
        var verified = Path.Combine(folder, name + ".verified.cs");
        var received = Path.Combine(folder, name + ".received.cs");
        actual = Normalize(actual);

        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }
        if (!File.Exists(verified))
        {
            File.WriteAllText(received, actual);
            Assert.Fail($"No snapshot {verified}. Review {received} and rename it to .verified.cs, or run with UPDATE_SNAPSHOTS=1.");
        }
        var expected = Normalize(File.ReadAllText(verified));
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        Assert.Fail($"Generated code differs from {verified} (actual: {received}).\n{FirstDifference(expected, actual)}\nRun with UPDATE_SNAPSHOTS=1 to accept.");
    }

    /// <summary>The first differing line, with a line of context either side.</summary>
    public static string FirstDifference(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var line = 0;
        while (line < a.Length && line < b.Length && a[line] == b[line])
        {
            line++;
        }
        string At(string[] lines, int i) => i < lines.Length ? lines[i] : "<end of file>";
        var context = line > 0 ? $"  {line,4}  {a[line - 1]}\n" : "";
        return $"First difference at line {line + 1}:\n{context}- {line + 1,4}  {At(a, line)}\n+ {line + 1,4}  {At(b, line)}";
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimStart('\uFEFF');

    /// <summary>This test project's folder, found from a source file's compile-time path.</summary>
    private static string ProjectDirectory(string callerPath)
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(callerPath)!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Experiments.Generators.Tests.csproj")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Cannot find the test project folder from " + callerPath);
    }
}
