using System.Diagnostics;
using System.Globalization;
using Experiments.Benchmarks.Measurement;
using Experiments.Benchmarks.Reporting;
using Experiments.Vision.Training;
using static TorchSharp.torch;

namespace Experiments.Benchmarks.Sections;

/// <summary>
/// Training next to a CPU-bound process: the pipeline with the Learner's thread policy (<see cref="ThreadPolicy"/>,
/// chosen at the start of every fit) against the same pipeline pinned to 1 thread and to one per core, rounds
/// interleaved while a child process of this program keeps <see cref="BenchmarkOptions.BusyThreads"/> threads spinning.
/// </summary>
public static class BusySection
{
    public static void Run(RunContext context)
    {
        var options = context.Options;
        int cores = Environment.ProcessorCount;
        var config = ModelConfig.Expand([options.BusyModel], [options.PeerSize]).Single();
        var table = new ResultTable("busy", $"A busy machine: {config.Id}, batch {options.BatchSize}, the pipeline's threads next to a CPU-bound process",
            "competing threads", "threads", "chosen", "img/s", "min–max", "/ best", "best");
        int steps;
        using (var probe = new BareLoop(config.Model, config.Size, options.BatchSize, LoopSettings.FromOptions(options)))
        {
            steps = TrainingSection.ChooseSteps(probe, options).Steps;
        }
        using var store = new TrainingStore([.. options.BusyThreads.SelectMany(b => Variants(cores).Select(v => $"{b}/{v.Name}"))]);
        foreach (int competitors in options.BusyThreads)
        {
            RunReport.Progress($"busy: {competitors} competing threads, {config.Id}, {steps} steps per round");
            using var competitor = competitors > 0 ? Spinner.Start(competitors) : null;
            var variants = Variants(cores);
            var pipelines = variants.Select(v => new PipelineLoop(config.Model, config.Size, options.BatchSize, steps,
                LoopSettings.FromOptions(options) with { LearnerThreads = v.Threads }, store, $"{competitors}/{v.Name}")).ToList();
            try
            {
                var chosen = variants.Select(_ => new List<int>()).ToArray();
                var loops = variants.Select((v, i) => new MeasuredLoop(v.Name, () =>
                {
                    var round = pipelines[i].Run();
                    chosen[i].Add(pipelines[i].LearnerThreads);
                    return round;
                })).ToList();
                Interleaved.Run(loops, options.Rounds, line => RunReport.Progress($"  busy {competitors}: {line}"));
                int best = Enumerable.Range(0, loops.Count).MaxBy(i => loops[i].ImagesPerSecond.Median);
                for (int i = 0; i < loops.Count; i++)
                {
                    var rate = loops[i].ImagesPerSecond;
                    var counts = chosen[i].Skip(1).Distinct().Order().ToList(); // the rounds after the untimed one
                    table.Add(competitors, variants[i].Name, string.Join(", ", counts), rate.Median,
                        string.Create(CultureInfo.InvariantCulture, $"{rate.Min:0}–{rate.Max:0}"),
                        i == best ? 1.0 : loops[i].RatioTo(loops[best]), loops[best].Name);
                }
            }
            finally
            {
                pipelines.ForEach(p => p.Dispose());
            }
        }
        table.Note($"Each row is the training section's pipeline (one Learner.Fit epoch a round) with LearnerOptions.Threads: null (the policy: at the start of every fit, the other processes' "
            + $"CPU use is sampled for {ThreadPolicy.SampleWindow.TotalMilliseconds:0} ms from /proc/stat and the fit takes the cores they leave, a core counting as taken from "
            + $"{ThreadPolicy.TakenCoreThreshold:0.##} of it on), 1, or {cores} (one per core, LibTorch's default). 'chosen' lists the thread counts the fits ran with.");
        table.Note("competing threads: a child process of this program spinning that many threads at normal priority for the whole measurement (0: the machine as it is); "
            + $"the rounds of the variants are interleaved; '/ best' is the median of the per-round ratios to the fastest variant. Load average at the end: {MachineInfo.LoadAverage()}.");
        context.Report.Add(table);
    }

    private static IReadOnlyList<(string Name, int? Threads)> Variants(int cores) =>
        [("policy", null), ("1", 1), ($"{cores} (all)", cores)];

    /// <summary>A child process of this program (<c>--child-spin N</c>) that keeps N threads busy until it is stopped.</summary>
    public sealed class Spinner : IDisposable
    {
        private readonly Process _process;

        private Spinner(Process process) => _process = process;

        public static Spinner Start(int threads)
        {
            var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            {
                info.ArgumentList.Add(typeof(Spinner).Assembly.Location);
            }
            info.ArgumentList.Add("--child-spin");
            info.ArgumentList.Add(threads.ToString(CultureInfo.InvariantCulture));
            var spinner = new Spinner(Process.Start(info)!);
            Thread.Sleep(1000); // started and spinning before the first round
            return spinner;
        }

        /// <summary>The child's side: <paramref name="threads"/> threads spin until standard input closes (the parent ended or stopped it).</summary>
        public static int RunInChild(int threads)
        {
            for (int t = 0; t < threads; t++)
            {
                new Thread(() =>
                {
                    double x = 1;
                    while (true)
                    {
                        x = Math.Sqrt(x + 1);
                    }
                }) { IsBackground = true }.Start();
            }
            Console.In.ReadToEnd();
            return 0;
        }

        public void Dispose()
        {
            try
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    _process.Kill();
                }
            }
            finally
            {
                _process.Dispose();
            }
        }
    }
}
