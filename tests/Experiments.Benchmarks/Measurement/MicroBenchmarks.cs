using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Experiments.Benchmarks.Measurement;

/// <summary>One BenchmarkDotNet case: the method, its parameters and the per-operation statistics.</summary>
public sealed record MicroResult(string Type, string Method, IReadOnlyDictionary<string, string> Parameters, Stats Nanoseconds, double OperationsPerInvoke);

/// <summary>
/// Runs BenchmarkDotNet classes in this process (no generated project, no second build): a short fixed job
/// (warm-up and measured iteration counts from the options, a target iteration time), BenchmarkDotNet's log and its own
/// Markdown/CSV reports in <c>&lt;run&gt;/bdn/</c>, nothing on the console. The statistics are BenchmarkDotNet's
/// per-operation ones (median, min, max of the measured iterations).
/// </summary>
public static class MicroBenchmarks
{
    /// <summary>
    /// The torch thread count of the run, for the benchmark classes' setup: BenchmarkDotNet runs in-process cases on a thread
    /// of its own, and OpenMP's thread count (which MKL and LibTorch's kernels read) is a per-thread setting.
    /// </summary>
    /// <remarks>0 until a BenchmarkDotNet run sets it: the setup then leaves the calling thread's count alone (the simple
    /// harness runs on the main thread, whose count the training measurements use afterwards).</remarks>
    public static int TorchThreads { get; private set; }

    public static IReadOnlyList<MicroResult> Run(BenchmarkOptions options, string name, params Type[] types)
    {
        TorchThreads = TorchSharp.torch.get_num_threads();
        string artifacts = Path.Combine(options.OutputDirectory, "bdn");
        Directory.CreateDirectory(artifacts);
        var job = new Job(name)
        {
            Run =
            {
                LaunchCount = 1,
                WarmupCount = options.MicroWarmupCount,
                IterationCount = options.MicroIterationCount,
                IterationTime = TimeInterval.FromMilliseconds(options.MicroIterationMilliseconds),
            },
            Accuracy = { EvaluateOverhead = false },
            Infrastructure = { Toolchain = InProcessEmitToolchain.Instance },
        };
        using var log = new StreamWriter(Path.Combine(artifacts, name + ".log"));
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(new StreamLogger(log))
            .AddExporter(MarkdownExporter.GitHub, CsvExporter.Default)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary);
        var summary = BenchmarkRunner.Run(types, config).Single();
        var results = new List<MicroResult>();
        foreach (var report in summary.Reports)
        {
            var statistics = report.ResultStatistics;
            var parameters = report.BenchmarkCase.Parameters.Items.ToDictionary(p => p.Name, p => p.Value?.ToString() ?? "");
            var stats = statistics is null ? new Stats(double.NaN, double.NaN, double.NaN, 0) : new Stats(statistics.Median, statistics.Min, statistics.Max, statistics.N);
            results.Add(new MicroResult(report.BenchmarkCase.Descriptor.Type.Name, report.BenchmarkCase.Descriptor.WorkloadMethod.Name,
                parameters, stats, report.BenchmarkCase.Descriptor.OperationsPerInvoke));
        }
        return results;
    }
}
