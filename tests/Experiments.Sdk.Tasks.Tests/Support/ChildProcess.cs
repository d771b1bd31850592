using System.Diagnostics;

namespace Experiments.Sdk.Tasks.Tests.Support;

/// <summary>Runs a program and returns its exit code and combined output.</summary>
internal static class ChildProcess
{
    public static (int ExitCode, string Output) Run(string fileName, params string[] arguments) => Run(fileName, arguments, null);

    public static (int ExitCode, string Output) Run(string fileName, string[] arguments, Action<IDictionary<string, string?>>? environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        environment?.Invoke(start.Environment);

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in 3 minutes.");
        }

        return (process.ExitCode, output + error.Result);
    }

    /// <summary>The number of hard links to a file (<c>stat -c %h</c>).</summary>
    public static int LinkCount(string path) => int.Parse(Run("stat", "-c", "%h", path).Output.Trim());

    /// <summary>The inode number of a file (<c>stat -c %i</c>).</summary>
    public static string Inode(string path) => Run("stat", "-c", "%i", path).Output.Trim();
}
