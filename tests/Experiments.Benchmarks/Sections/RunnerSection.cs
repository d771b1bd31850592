using System.Diagnostics;
using System.Reflection;
using System.Text;
using Experiments.Benchmarks.Measurement;
using Experiments.Benchmarks.Reporting;

namespace Experiments.Benchmarks.Sections;

/// <summary>
/// Issue 6 item 4 (runner): the cost per trial of list → claim → run → store → report for a trial that does nothing.
/// A tiny experiment project (the SDK imported from this repository, as the examples do) with N no-op trials is
/// generated in a temporary folder, built once, and run as a user would (<c>dotnet &lt;app&gt;.dll run</c>, one worker);
/// the per-trial cost is the slope between a run of K trials and a run of all N, each on a fresh store.
/// </summary>
public static class RunnerSection
{
    public static void Run(RunContext context)
    {
        var options = context.Options;
        int n = options.RunnerTrials, k = Math.Min(options.RunnerSmallTrials, n - 1);
        string configuration = typeof(RunnerSection).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string folder = Directory.CreateTempSubdirectory("experiments-bench-runner-").FullName;
        var table = new ResultTable("runner", $"Runner overhead: an experiment of {n} no-op trials (one worker process)",
            "measurement", "seconds", "per trial ms", "notes");
        try
        {
            string project = WriteProject(folder, n);
            RunReport.Progress($"runner: building the generated project {project} ({configuration})");
            var build = Execute("dotnet", ["build", project, "-c", configuration, "-nologo", "-v", "q", "-p:TreatWarningsAsErrors=true"], RepositoryPaths.Root);
            if (build.ExitCode != 0)
            {
                throw new InvalidOperationException($"Building the generated experiment project failed:\n{build.Output}");
            }
            table.Add("dotnet build of the generated project", build.Seconds, "", "first build here; referenced SDK projects only checked if already built");
            string app = Path.Combine(folder, "bin", configuration, "net10.0", "NoOpBench.dll");

            Stats Repeat(string label, Func<int, string[]> arguments, int? expectPassed)
            {
                var seconds = new List<double>();
                for (int r = 0; r < options.RunnerRepeats; r++)
                {
                    RunReport.Progress($"runner: {label} ({r + 1}/{options.RunnerRepeats})");
                    var result = Execute("dotnet", [app, .. arguments(r)], folder);
                    if (result.ExitCode != 0 || (expectPassed is int passed && !result.Output.Contains($"{passed} passed, 0 failed", StringComparison.Ordinal)))
                    {
                        throw new InvalidOperationException($"'{label}' did not end as expected (exit {result.ExitCode}):\n{result.Output}");
                    }
                    seconds.Add(result.Seconds);
                }
                return Stats.Of(seconds);
            }

            string Store(string name, int r) => Path.Combine(folder, $"{name}-{r}.db");
            var list = Repeat("list", r => ["list", "--store", Store("list", r)], null);
            var small = Repeat($"run {k} trials", r => ["run", "--workers", "1", "--max-trials", k.ToString(System.Globalization.CultureInfo.InvariantCulture), "--store", Store("small", r), "--output", Path.Combine(folder, $"reports-small-{r}")], k);
            var all = Repeat($"run {n} trials", r => ["run", "--workers", "1", "--store", Store("all", r), "--output", Path.Combine(folder, $"reports-all-{r}")], n);
            var none = Repeat("run with nothing pending", r => ["run", "--workers", "1", "--store", Store("all", r), "--output", Path.Combine(folder, $"reports-all-{r}")], 0);
            var report = Repeat("report", r => ["report", "--store", Store("all", r), "--output", Path.Combine(folder, $"reports-all-{r}")], null);
            double perTrial = (all.Median - small.Median) / (n - k);

            table.Add($"list ({n} trials, new store)", list.Median, "", "process start, matrix enumeration, store registration");
            table.Add($"run of {k} trials (new store)", small.Median, 1000 * small.Median / k, "end to end, divided by the trials");
            table.Add($"run of {n} trials (new store)", all.Median, 1000 * all.Median / n, "end to end, divided by the trials");
            table.Add("run with nothing pending", none.Median, "", "start, registration, claim scan, report: the fixed cost of a run");
            table.Add("report", report.Median, "", "Markdown report and plots from the store");
            table.Add("per-trial overhead (slope)", "", 1000 * perTrial, $"(run {n} − run {k}) / {n - k}: claim, send to the worker, run, result back, store write, console line");
            table.Add("fixed cost per run (intercept)", small.Median - (k * perTrial), "", $"run {k} − {k} × slope: host and worker start, registration, report");
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            RunReport.Progress($"runner failed: {e.Message}");
            table.Add("failed", "", "", e.Message.ReplaceLineEndings(" ")[..Math.Min(400, e.Message.Length)]);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless.
            }
        }
        table.Note($"Each trial returns TrialResult.Success at once. The project imports sdk/Experiments.Sdk from this repository (ExperimentsFromSource), "
            + $"so the generator, the runner and the SQLite store are the ones built here. Median of {options.RunnerRepeats} run(s) each; wall time of the whole process.");
        context.Report.Add(table);
    }

    private static string WriteProject(string folder, int trials)
    {
        string sdk = Path.Combine(RepositoryPaths.Root, "sdk", "Experiments.Sdk", "Sdk");
        File.WriteAllText(Path.Combine(folder, "NoOpBench.csproj"), $"""
            <Project>
              <!-- Generated by tests/Experiments.Benchmarks: an experiment project on the SDK of {RepositoryPaths.Root}. -->
              <PropertyGroup>
                <ExperimentsFromSource>true</ExperimentsFromSource>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <Import Project="{Path.Combine(sdk, "Sdk.props")}" />
              <Import Project="{Path.Combine(sdk, "Sdk.targets")}" />
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "NoOp.cs"), $$"""
            using Experiments;

            namespace NoOpBench;

            /// <summary>{{trials}} trials that do nothing: what the runner costs per trial.</summary>
            [Experiment(Objective = MetricNames.ErrorRate, Goal = Goal.Minimize)]
            public partial class NoOp
            {
                [Values({{string.Join(", ", Enumerable.Range(1, trials))}})]
                public partial int Index { get; }

                public Task<TrialResult> RunAsync(TrialContext context) =>
                    Task.FromResult(TrialResult.Success((MetricNames.ErrorRate, 0.0), (MetricNames.FitTime, 0.0)));
            }
            """);
        return Path.Combine(folder, "NoOpBench.csproj");
    }

    private sealed record ProcessResult(int ExitCode, double Seconds, string Output);

    private static ProcessResult Execute(string file, IReadOnlyList<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' did not finish in 10 minutes.");
        }
        process.WaitForExit();
        double seconds = clock.Elapsed.TotalSeconds;
        lock (output)
        {
            return new ProcessResult(process.ExitCode, seconds, output.ToString());
        }
    }
}
