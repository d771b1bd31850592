using System.Diagnostics;
using System.Globalization;
using System.Text;
using Experiments.Benchmarks.Measurement;
using Experiments.Benchmarks.Reporting;
using static TorchSharp.torch;

namespace Experiments.Benchmarks.Sections;

/// <summary>
/// Thread settings that a process can only choose before LibTorch starts (the OpenMP wait policy, the inter-op pool):
/// each variant runs the bare loop in a child process of this program (<c>--child-bare model@size</c>), one round per
/// child, the variants' children alternating round by round so that the machine's load hits them alike.
/// </summary>
public static class ProcessVariants
{
    private const string ResultPrefix = "CHILD-RESULT ";

    /// <summary>A variant: extra arguments and environment of the child.</summary>
    public sealed record Variant(string Name, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment);

    public static IReadOnlyList<Variant> Default { get; } =
    [
        new("process defaults", [], new Dictionary<string, string>()),
        new("OMP_WAIT_POLICY=PASSIVE", [], new Dictionary<string, string> { ["OMP_WAIT_POLICY"] = "PASSIVE" }),
        new("--interop-threads 1", ["--interop-threads", "1"], new Dictionary<string, string>()),
    ];

    /// <summary>Runs the variants for <paramref name="config"/> and adds a row per variant to <paramref name="table"/> (ratios against the first).</summary>
    public static void Measure(ModelConfig config, int steps, BenchmarkOptions options, ResultTable table)
    {
        var variants = Default;
        var rates = variants.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < options.Rounds; r++)
        {
            for (int k = 0; k < variants.Count; k++)
            {
                int v = (r + k) % variants.Count;
                rates[v].Add(RunChild(config, steps, options, variants[v]));
            }
            RunReport.Progress($"  {config.Id} (child processes): round {r + 1}/{options.Rounds}: "
                + string.Join(", ", variants.Select((variant, i) => $"{variant.Name} {rates[i][^1]:0} img/s")));
        }
        for (int i = 0; i < variants.Count; i++)
        {
            var stats = Stats.Of(rates[i]);
            double ratio = Stats.Of(rates[i].Zip(rates[0], (a, b) => a / b).ToList()).Median;
            table.Add(config.Model, "bare, own process", variants[i].Name, stats.Median, i == 0 ? 1.0 : ratio, i == 0 ? "(baseline)" : "process defaults",
                TrainingSection.Percent(stats.RelativeSpread), "", ""); // a child reports its rate only, not the split of a batch
        }
    }

    /// <summary>The child's side: the bare loop of <paramref name="config"/>, warm-up then the rounds; prints the rates on one line.</summary>
    public static int RunInChild(string config, BenchmarkOptions options)
    {
        var parts = config.Split('@');
        var model = parts[0];
        int size = int.Parse(parts[1], CultureInfo.InvariantCulture);
        using var loop = new BareLoop(model, size, options.BatchSize, LoopSettings.FromOptions(options));
        int steps = TrainingSection.ChooseSteps(loop, options).Steps;
        loop.UseData(TrainingData.Tensors(steps * options.BatchSize, size));
        var rates = Enumerable.Range(0, options.Rounds).Select(_ => loop.Run(steps).ImagesPerSecond).ToList();
        Console.WriteLine(ResultPrefix + string.Join(' ', rates.Select(r => r.ToString("R", CultureInfo.InvariantCulture)))
            + $" threads={get_num_threads()} interop={get_num_interop_threads()}");
        return 0;
    }

    private static double RunChild(ModelConfig config, int steps, BenchmarkOptions options, Variant variant)
    {
        var info = new ProcessStartInfo(System.Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Started as `dotnet Experiments.Benchmarks.dll` (the host is dotnet) or through the apphost.
        if (Path.GetFileNameWithoutExtension(System.Environment.ProcessPath!) == "dotnet")
        {
            info.ArgumentList.Add(typeof(ProcessVariants).Assembly.Location);
        }
        string[] arguments =
        [
            "--child-bare", config.Id, "--steps", steps.ToString(CultureInfo.InvariantCulture), "--rounds", "1",
            "--warmup-steps", options.WarmupSteps.ToString(CultureInfo.InvariantCulture), "--batch-size", options.BatchSize.ToString(CultureInfo.InvariantCulture),
            .. options.Threads is int t && !variant.Arguments.Contains("--threads") ? ["--threads", t.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
            .. variant.Arguments,
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in variant.Environment)
        {
            info.Environment[name] = value;
        }
        using var process = Process.Start(info)!;
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            lock (errors)
            {
                throw new InvalidOperationException($"The child process for '{variant.Name}' failed (exit {process.ExitCode}):\n{output}\n{errors}");
            }
        }
        return double.Parse(line[ResultPrefix.Length..].Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
