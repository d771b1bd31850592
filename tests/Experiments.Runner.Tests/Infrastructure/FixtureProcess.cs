using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Experiments.Runner.Tests.Infrastructure;

/// <summary>A running fixture process with its output captured line by line.</summary>
internal sealed partial class FixtureProcess : IDisposable
{
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _reading;

    public FixtureProcess(Process process, string commandLine)
    {
        Process = process;
        CommandLine = commandLine;
        process.StandardInput.Close();
        _reading = Task.WhenAll(Pump(process.StandardOutput, _stdout), Pump(process.StandardError, _stderr));
    }

    public Process Process { get; }

    public string CommandLine { get; }

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public async Task<RunResult> WaitAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? FixtureApp.DefaultTimeout);
        try
        {
            await Process.WaitForExitAsync(cancellation.Token);
            await _reading.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            Process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{CommandLine}' did not finish in time.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }
        return new RunResult(Process.ExitCode, StandardOutput, StandardError);
    }

    /// <summary>Sends a signal to the host process only (not its workers), as `kill -SIG pid` would.</summary>
    public void Signal(int signal)
    {
        if (Kill(Process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({Process.Id}, {signal}) failed: {Marshal.GetLastPInvokeError()}");
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }
        Process.Dispose();
    }

    private static async Task Pump(StreamReader reader, StringBuilder into)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (into)
            {
                into.Append(line).Append('\n');
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

/// <summary>A finished fixture process.</summary>
internal sealed partial record RunResult(int ExitCode, string StandardOutput, string StandardError)
{
    public IReadOnlyList<string> Lines => StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The `N passed, N failed[, N skipped]` line; asserts that there is exactly one.</summary>
    public (int Passed, int Failed, int Skipped) Closing
    {
        get
        {
            var matches = Lines.Select(l => ClosingLine().Match(l)).Where(m => m.Success).ToArray();
            Assert.True(matches.Length == 1, $"expected one closing line in:\n{this}");
            var m = matches[0];
            return (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), m.Groups[3].Success ? int.Parse(m.Groups[3].Value) : 0);
        }
    }

    /// <summary>Lines of finished trials: (passed?, trial id, the rest).</summary>
    public IReadOnlyList<(bool Passed, string TrialId, string Details)> TrialLines
        => Lines.Select(l => TrialLinePattern().Match(l))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value == "✓", m.Groups[2].Value, m.Groups[3].Value))
            .ToArray();

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";

    [GeneratedRegex(@"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$")]
    private static partial Regex ClosingLine();

    [GeneratedRegex(@"^  ([✓✗○]) (\S+)  (.*)$")]
    private static partial Regex TrialLinePattern();
}
