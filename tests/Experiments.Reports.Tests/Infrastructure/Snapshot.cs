using System.Runtime.CompilerServices;
using System.Text;

namespace Experiments.Reports.Tests.Infrastructure;

/// <summary>
/// Compares text with a checked-in <c>Snapshots/{name}.verified.{ext}</c> file. On a difference it writes
/// <c>{name}.received.{ext}</c> next to it and fails with a unified diff; with <c>UPDATE_SNAPSHOTS=1</c> it
/// rewrites the verified file instead. Line endings are compared as <c>\n</c>.
/// </summary>
public static class Snapshot
{
    private const int ContextLines = 2;
    private const int MaxDiffLines = 150;

    public static void Match(string actual, string name, string extension = "md")
    {
        var directory = SnapshotDirectory(ThisFile());
        var verifiedPath = Path.Combine(directory, $"{name}.verified.{extension}");
        var receivedPath = Path.Combine(directory, $"{name}.received.{extension}");
        actual = Normalize(actual);

        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(verifiedPath, actual, new UTF8Encoding(false));
            File.Delete(receivedPath);
            return;
        }

        var expected = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual, new UTF8Encoding(false));
        var message = expected is null
            ? $"No snapshot {verifiedPath}. Review {receivedPath} and rename it, or run with UPDATE_SNAPSHOTS=1."
            : $"Snapshot {name} differs (received: {receivedPath}; UPDATE_SNAPSHOTS=1 accepts it):\n"
              + UnifiedDiff(expected, actual, $"{name}.verified.{extension}", $"{name}.received.{extension}");
        Assert.Fail(message);
    }

    private static string ThisFile([CallerFilePath] string path = "") => path;

    private static string Normalize(string text) => text.Replace("\r\n", "\n");

    /// <summary>The test project's <c>Snapshots</c> folder, found from this source file; when built elsewhere, found upwards from the output folder.</summary>
    private static string SnapshotDirectory(string thisFile)
    {
        var besideSource = Path.Combine(Path.GetDirectoryName(thisFile) ?? ".", "..", "Snapshots");
        if (Directory.Exists(besideSource))
        {
            return Path.GetFullPath(besideSource);
        }
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "Experiments.Reports.Tests", "Snapshots");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("Cannot find the Snapshots folder of Experiments.Reports.Tests.");
    }

    /// <summary>A line diff (longest common subsequence) printed as unified hunks with a little context.</summary>
    internal static string UnifiedDiff(string expected, string actual, string expectedName, string actualName)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var edits = new List<(char Kind, string Line, int A, int B)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                edits.Add((' ', a[x], x++, y++));
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                edits.Add(('-', a[x], x++, y));
            }
            else
            {
                edits.Add(('+', b[y], x, y++));
            }
        }

        var output = new StringBuilder().Append("--- ").Append(expectedName).Append('\n').Append("+++ ").Append(actualName).Append('\n');
        var lines = 0;
        for (var k = 0; k < edits.Count && lines < MaxDiffLines; k++)
        {
            if (edits[k].Kind == ' ')
            {
                continue;
            }
            var start = Math.Max(0, k - ContextLines);
            var end = k;
            // Extend the hunk while changes follow each other within twice the context.
            for (var next = k; next < edits.Count; next++)
            {
                if (edits[next].Kind != ' ')
                {
                    end = next;
                }
                else if (next - end > 2 * ContextLines)
                {
                    break;
                }
            }
            end = Math.Min(edits.Count - 1, end + ContextLines);
            output.Append($"@@ -{edits[start].A + 1} +{edits[start].B + 1} @@\n");
            for (var h = start; h <= end && lines < MaxDiffLines; h++, lines++)
            {
                output.Append(edits[h].Kind).Append(edits[h].Line).Append('\n');
            }
            k = end;
        }
        if (lines >= MaxDiffLines)
        {
            output.Append("... (diff truncated)\n");
        }
        return output.ToString();
    }
}
