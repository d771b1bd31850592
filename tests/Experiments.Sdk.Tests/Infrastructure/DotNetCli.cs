using System.Diagnostics;
using System.Text;

namespace Experiments.Sdk.Tests.Infrastructure;

/// <summary>
/// Runs the <c>dotnet</c> CLI in a child process, the way a user's shell would: no MSBuild loaded in this process, and
/// none of the MSBuild variables that <c>dotnet test</c> leaves in this process's environment.
/// </summary>
internal static class DotNetCli
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    private static string Executable { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static CommandResult Run(
        string workingDirectory,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null,
        ITestOutputHelper? log = null)
    {
        var startInfo = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        PrepareEnvironment(startInfo.Environment, environment);

        var commandLine = $"dotnet {string.Join(' ', startInfo.ArgumentList)}";
        var output = new StringBuilder();
        var standardOutput = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        using var outputClosed = new ManualResetEventSlim();
        using var errorClosed = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) => Append(e.Data, standardOutput, outputClosed);
        process.ErrorDataReceived += (_, e) => Append(e.Data, null, errorClosed);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit(timeout ?? DefaultTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"`{commandLine}` in {workingDirectory} did not finish within {(timeout ?? DefaultTimeout).TotalSeconds:F0} s. Output so far:\n{Snapshot()}");
        }
        // The process has exited; a build server it started may still hold the pipes open, so wait for the rest of
        // the output only briefly instead of for end-of-stream.
        outputClosed.Wait(TimeSpan.FromSeconds(10));
        errorClosed.Wait(TimeSpan.FromSeconds(10));
        stopwatch.Stop();

        string stdout;
        lock (output)
        {
            stdout = standardOutput.ToString();
        }
        var result = new CommandResult(commandLine, process.ExitCode, stdout, Snapshot(), stopwatch.Elapsed);
        log?.WriteLine($"$ {commandLine}   (in {workingDirectory}; exit {result.ExitCode}; {result.Duration.TotalSeconds:F1} s)");
        return result;

        void Append(string? line, StringBuilder? stream, ManualResetEventSlim closed)
        {
            if (line is null)
            {
                closed.Set();
                return;
            }
            lock (output)
            {
                output.AppendLine(line);
                stream?.AppendLine(line);
            }
        }

        string Snapshot()
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static CommandResult Run(string workingDirectory, params string[] arguments) => Run(workingDirectory, arguments, null);

    private static void PrepareEnvironment(IDictionary<string, string?> target, IReadOnlyDictionary<string, string>? extra)
    {
        // `dotnet test` runs this process under variables pointing at its own MSBuild (MSBuildExtensionsPath,
        // MSBuildSDKsPath, MSBUILD_EXE_PATH, ...); a user's shell has none of them.
        foreach (var key in target.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            target.Remove(key);
        }
        target["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        target["DOTNET_NOLOGO"] = "1";
        target["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        target["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        // No MSBuild worker nodes left behind by the tests.
        target["MSBUILDDISABLENODEREUSE"] = "1";
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                target[key] = value;
            }
        }
    }
}
