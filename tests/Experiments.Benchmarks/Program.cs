using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Experiments.Benchmarks;
using Experiments.Benchmarks.Measurement;
using Experiments.Benchmarks.Reporting;
using Experiments.Benchmarks.Sections;
using Experiments.Vision;
using Experiments.Vision.Models;
using static TorchSharp.torch;

// dotnet run -c Release --project tests/Experiments.Benchmarks -- [--quick | --full] [options]   (see README.md)

var quick = new Option<bool>("--quick") { Description = "The default profile: 4 models at 32 and 64 px, short rounds; about 5 minutes on 2 cores." };
var full = new Option<bool>("--full") { Description = "Every catalog model (ViTs and Swins at their fixed size, 224 px included), longer rounds, more repeats: long (an hour or more on 2 cores)." };
var sections = new Option<string?>("--sections", "-s") { Description = $"Comma-separated parts to run (default: {string.Join(", ", SectionNames.All)}; also: {string.Join(", ", SectionNames.Known.Except(SectionNames.All))})." };
var models = new Option<string?>("--models", "-m") { Description = "Comma-separated catalog models for the training and operators sections (default: the profile's, and regnety_002, convnext_atto, resnet18 for operators; 'all' for the whole catalog)." };
var sizes = new Option<string?>("--sizes") { Description = "Comma-separated input sizes in px for models that take any size (default 32,64); a ViT or a Swin always runs at its own size." };
var batchSize = new Option<int?>("--batch-size", "-b") { Description = "Training batch size (default 64)." };
var steps = new Option<int?>("--steps") { Description = "Training steps per measured round (default: as many as fill --round-seconds)." };
var roundSeconds = new Option<double?>("--round-seconds") { Description = "Target length of a measured round when --steps is not given (quick 1, full 5)." };
var rounds = new Option<int?>("--rounds", "-r") { Description = "Interleaved measured rounds per configuration (quick 7, full 5)." };
var measureSeconds = new Option<double?>("--measure-seconds") { Description = "Training section: measure each loop at least this long, adding rounds up to 3 × --rounds (quick 20, full 60; 0: exactly --rounds)." };
var warmup = new Option<int?>("--warmup-steps") { Description = "Untimed steps before the rounds (quick 1, full 2); the pipeline gets one untimed epoch." };
var channelsLast = new Option<bool>("--channels-last") { Description = "Training section: convolution weights and inputs in channels-last (NHWC) memory order." };
var bf16 = new Option<bool>("--bf16") { Description = "Training section: train in bfloat16 (weights, activations, optimizer state)." };
var threads = new Option<int?>("--threads") { Description = "torch.set_num_threads for the whole run (default: LibTorch's choice)." };
var interopThreads = new Option<int?>("--interop-threads") { Description = "torch.set_num_interop_threads, set once at start (default: LibTorch's choice)." };
var tuneModels = new Option<string?>("--tune-models") { Description = "Comma-separated models of the tuning section (quick: resnet18; full: resnet18,regnety_002)." };
var tuneSize = new Option<int?>("--tune-size") { Description = "Input size of the tuning section (default 32)." };
var memoryModels = new Option<string?>("--memory-models") { Description = "Comma-separated models of the memory section, trained at 32 px (quick: regnety_002; full: regnety_002,resnet18)." };
var memoryEpochs = new Option<int?>("--memory-epochs") { Description = "Epochs of the memory section's fit (default 20)." };
var runnerTrials = new Option<int?>("--runner-trials") { Description = "No-op trials of the runner probe (quick 100, full 1000)." };
var jpegs = new Option<int?>("--jpegs") { Description = "JPEG files written for the data-pipeline probe (quick 192, full 960)." };
var python = new Option<string?>("--python") { Description = "Peer section: the Python that imports torch (default: /usr/bin/python3, then python3 on PATH)." };
var peerModels = new Option<string?>("--peer-models") { Description = "Comma-separated catalog models of the peer section (quick: resnet18; full and 'all': every catalog model torchvision builds)." };
var peerCounts = new Option<bool>("--peer-counts") { Description = "Peer section: only compare each model's trained-parameter counts with PyTorch's (no training)." };
var peerSize = new Option<int?>("--peer-size") { Description = "Input size of the peer and busy sections (default 32)." };
var busyModel = new Option<string?>("--busy-model") { Description = "Model of the busy section (default resnet18)." };
var busyThreads = new Option<string?>("--busy-threads") { Description = "Comma-separated thread counts of the competing process in the busy section (quick 1; full 0,1,2)." };
var childSpin = new Option<int?>("--child-spin") { Description = "Internal: spin this many threads until standard input closes (the busy section's competitor).", Hidden = true };
var childBare = new Option<string?>("--child-bare") { Description = "Internal: run the bare loop of model@size and print its rates (the tuning section's child processes).", Hidden = true };
var precisionModels = new Option<string?>("--precision-models") { Description = "Comma-separated models of the precision section (default resnet18,convnext_atto)." };
var precisionRepeats = new Option<int?>("--precision-repeats") { Description = "Fits per model and precision in the precision section (default 3)." };
var precisionEpochs = new Option<int?>("--precision-epochs") { Description = "Epochs of each fit of the precision section (default 3)." };
var precisionItems = new Option<int?>("--precision-items") { Description = "Training images of each fit of the precision section (default 5000; the first of the training set)." };
var precisionValidItems = new Option<int?>("--precision-valid-items") { Description = "Validation images of each fit of the precision section (default 5000; the first of the test set)." };
var rungsModels = new Option<string?>("--rungs-models") { Description = "Comma-separated models of the rungs section, each at lr 0.01 (default resnet20,resnet20.cntk_in1k,convnext_atto)." };
var rungsSeeds = new Option<string?>("--rungs-seeds") { Description = "Comma-separated seeds of the rungs section (default 1,2)." };
var rungsItems = new Option<int?>("--rungs-items") { Description = "Training images of the rungs section's fits: the first of the Fashion-MNIST sample's 1,000 (default all)." };
var output = new Option<string?>("--output", "-o") { Description = "Folder for results.md and the CSV files (default: artifacts/benchmarks/<UTC timestamp>/ in the repository)." };

var root = new RootCommand(
    "Performance probes of this machine and of the Experiments code: matmul rate, training throughput (bare loop vs Learner pipeline, "
    + "FLOP fraction), tuning variants (channels-last, threads, bf16), data pipeline, runner overhead per trial, generator build cost. "
    + "Prints Markdown tables and writes results.md plus one CSV per table.")
{
    quick, full, sections, models, sizes, batchSize, steps, roundSeconds, rounds, measureSeconds, warmup, channelsLast, bf16, threads, interopThreads,
    tuneModels, tuneSize, memoryModels, memoryEpochs, runnerTrials, jpegs, python, peerModels, peerCounts, peerSize, busyModel, busyThreads,
    precisionModels, precisionRepeats, precisionEpochs, precisionItems, precisionValidItems, rungsModels, rungsSeeds, rungsItems, output, childBare, childSpin,
};

root.SetAction(result =>
{
    if (result.GetValue(childSpin) is int spin)
    {
        return BusySection.Spinner.RunInChild(spin);
    }
    if (result.GetValue(quick) && result.GetValue(full))
    {
        Console.Error.WriteLine("Choose one of --quick and --full.");
        return 2;
    }
    string outputDirectory = result.GetValue(output) ?? RepositoryPaths.DefaultOutput();
    var options = result.GetValue(full) ? BenchmarkOptions.Full(outputDirectory) : BenchmarkOptions.Quick(outputDirectory);
    try
    {
        options = options with
        {
            Sections = List(result.GetValue(sections)) is { } s ? Validate(s, SectionNames.Known, "section") : options.Sections,
            Models = List(result.GetValue(models)) is { } m
                ? (m.Count == 1 && m[0] == "all" ? [.. ModelCatalog.All.Select(i => i.Name)] : Validate(m, [.. ModelCatalog.All.Select(i => i.Name)], "model"))
                : options.Models,
            Sizes = List(result.GetValue(sizes)) is { } z ? [.. z.Select(v => int.Parse(v, CultureInfo.InvariantCulture))] : options.Sizes,
            OperatorModels = List(result.GetValue(models)) is { } om
                ? (om.Count == 1 && om[0] == "all" ? [.. ModelCatalog.All.Select(i => i.Name)] : Validate(om, [.. ModelCatalog.All.Select(i => i.Name)], "model"))
                : options.OperatorModels,
            OperatorSizes = List(result.GetValue(sizes)) is { } oz ? [.. oz.Select(v => int.Parse(v, CultureInfo.InvariantCulture))] : options.OperatorSizes,
            BatchSize = result.GetValue(batchSize) ?? options.BatchSize,
            Steps = result.GetValue(steps) ?? options.Steps,
            RoundSeconds = result.GetValue(roundSeconds) ?? options.RoundSeconds,
            Rounds = result.GetValue(rounds) ?? options.Rounds,
            MeasureSeconds = result.GetValue(measureSeconds) ?? options.MeasureSeconds,
            WarmupSteps = result.GetValue(warmup) ?? options.WarmupSteps,
            ChannelsLast = result.GetValue(channelsLast),
            Bf16 = result.GetValue(bf16),
            Threads = result.GetValue(threads),
            InteropThreads = result.GetValue(interopThreads),
            TuneModels = List(result.GetValue(tuneModels)) is { } t ? Validate(t, [.. ModelCatalog.All.Select(i => i.Name)], "model") : options.TuneModels,
            TuneSize = result.GetValue(tuneSize) ?? options.TuneSize,
            MemoryModels = List(result.GetValue(memoryModels)) is { } mm ? Validate(mm, [.. ModelCatalog.All.Select(i => i.Name)], "model") : options.MemoryModels,
            MemoryEpochs = result.GetValue(memoryEpochs) ?? options.MemoryEpochs,
            RunnerTrials = result.GetValue(runnerTrials) ?? options.RunnerTrials,
            JpegCount = result.GetValue(jpegs) ?? options.JpegCount,
            Python = result.GetValue(python),
            PeerModels = List(result.GetValue(peerModels)) is { } pm
                ? (pm.Count == 1 && pm[0] == "all" ? [.. ModelCatalog.All.Select(i => i.Name)] : Validate(pm, [.. ModelCatalog.All.Select(i => i.Name)], "model"))
                : options.PeerModels,
            PeerSize = result.GetValue(peerSize) ?? options.PeerSize,
            PeerCountsOnly = result.GetValue(peerCounts),
            BusyModel = result.GetValue(busyModel) is { } bm ? Validate([bm], [.. ModelCatalog.All.Select(i => i.Name)], "model")[0] : options.BusyModel,
            BusyThreads = List(result.GetValue(busyThreads)) is { } bt ? [.. bt.Select(v => int.Parse(v, CultureInfo.InvariantCulture))] : options.BusyThreads,
            PrecisionModels = List(result.GetValue(precisionModels)) is { } prm ? Validate(prm, [.. ModelCatalog.All.Select(i => i.Name)], "model") : options.PrecisionModels,
            PrecisionRepeats = result.GetValue(precisionRepeats) ?? options.PrecisionRepeats,
            PrecisionEpochs = result.GetValue(precisionEpochs) ?? options.PrecisionEpochs,
            RungsModels = List(result.GetValue(rungsModels)) is { } rm ? Validate(rm, [.. ModelCatalog.All.Select(i => i.Name), ModelCatalog.ResNet20CntkIn1k], "model") : options.RungsModels,
            RungsSeeds = List(result.GetValue(rungsSeeds)) is { } rs ? [.. rs.Select(v => int.Parse(v, CultureInfo.InvariantCulture))] : options.RungsSeeds,
            RungsTrainItems = result.GetValue(rungsItems) ?? options.RungsTrainItems,
            PrecisionTrainItems = result.GetValue(precisionItems) ?? options.PrecisionTrainItems,
            PrecisionValidItems = result.GetValue(precisionValidItems) ?? options.PrecisionValidItems,
        };
    }
    catch (Exception e) when (e is FormatException or ArgumentException)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }
    if (options.BatchSize < 2 || options.Rounds < 1 || options.MeasureSeconds < 0 || options.Steps is < 1 || options.RunnerTrials < 2 || options.JpegCount < 1 || options.MemoryEpochs < 1
        || options.PeerSize < 1 || options.BusyThreads.Any(b => b < 0)
        || options.PrecisionRepeats < 2 || options.PrecisionEpochs < 1 || options.PrecisionTrainItems < options.BatchSize || options.PrecisionValidItems < 1)
    {
        Console.Error.WriteLine("--batch-size must be at least 2, --rounds, --steps, --memory-epochs and --precision-epochs at least 1, --runner-trials and --precision-repeats at least 2, --jpegs at least 1, --peer-size at least 1, --busy-threads not negative, --precision-items at least the batch size, --precision-valid-items at least 1.");
        return 2;
    }
    if (result.GetValue(childBare) is { } child)
    {
        TorchRuntime.EnsureLoaded();
        if (options.InteropThreads is int interop)
        {
            set_num_interop_threads(interop);
        }
        if (options.Threads is int intra)
        {
            set_num_threads(intra);
        }
        return ProcessVariants.RunInChild(child, options);
    }
    return Run(options);
});

return root.Parse(args).Invoke();

static int Run(BenchmarkOptions options)
{
    var clock = Stopwatch.StartNew();
    TorchRuntime.EnsureLoaded();
    // Inter-op threads can only be set before LibTorch starts any parallel work: first thing.
    if (options.InteropThreads is int interop)
    {
        set_num_interop_threads(interop);
    }
    if (options.Threads is int intra)
    {
        set_num_threads(intra);
    }
    var machine = MachineInfo.Read();
    var report = new RunReport(options.OutputDirectory);
    var context = new RunContext(options, machine, report);
    report.Header($"- When: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, profile `{options.Profile}`, sections {string.Join(", ", options.Sections)}");
    report.Header($"- CPU: {machine.CpuModel}, {machine.LogicalCores} logical cores; flags: {string.Join(" ", machine.Flags)}; bf16 arithmetic: {(machine.HasBf16 ? "yes" : "not supported")}");
    report.Header($"- {machine.Torch}; torch threads {machine.TorchThreads}, inter-op threads {machine.TorchInteropThreads}; {machine.Runtime}; build {machine.Configuration}");
    report.Header($"- Load average at start: {MachineInfo.LoadAverage()}");
    report.Header($"- Training settings: {LoopSettings.Describe(options.ChannelsLast, options.Bf16)}, batch {options.BatchSize}, "
        + $"{(options.Steps is int s ? $"{s} steps" : $"~{options.RoundSeconds:0.#} s")} per round, {options.Rounds} rounds{(options.MeasureSeconds > 0 ? $" (more for fast models, to {options.MeasureSeconds:0.#} s a loop)" : "")}, models {string.Join(", ", options.Models)} at {string.Join(", ", options.Sizes)} px");
    if (options.Runs(SectionNames.Operators))
    {
        report.Header($"- Operators: models {string.Join(", ", options.OperatorModels)} at {string.Join(", ", options.OperatorSizes)} px, batch {options.BatchSize}, fp32, {options.OperatorRepeats} steps and backward runs per module");
    }
    report.Header($"- Results: {report.Directory}");

    var parts = new (string Name, Action<RunContext> Run)[]
    {
        (SectionNames.Matmul, MatmulSection.Run),
        (SectionNames.Training, TrainingSection.Run),
        (SectionNames.Tuning, TuningSection.Run),
        (SectionNames.Memory, MemorySection.Run),
        (SectionNames.Data, DataPipelineSection.Run),
        (SectionNames.Runner, RunnerSection.Run),
        (SectionNames.Generator, GeneratorSection.Run),
        (SectionNames.Store, StoreSection.Run),
        (SectionNames.Peer, PeerSection.Run),
        (SectionNames.Busy, BusySection.Run),
        (SectionNames.Precision, PrecisionSection.Run),
        (SectionNames.Rungs, RungsSection.Run),
        (SectionNames.Operators, OperatorsSection.Run),
    };
    var times = new ResultTable("timing", "Time per section", "section", "seconds");
    foreach (var (name, run) in parts.Where(p => options.Runs(p.Name)))
    {
        var sectionClock = Stopwatch.StartNew();
        RunReport.Progress($"section {name}");
        run(context);
        times.Add(name, sectionClock.Elapsed.TotalSeconds);
    }
    times.Add("total", clock.Elapsed.TotalSeconds);
    times.Note($"Load average at the end: {MachineInfo.LoadAverage()}.");
    report.Add(times);
    Console.WriteLine($"Results: {report.MarkdownPath}");
    return 0;
}

static IReadOnlyList<string>? List(string? value) =>
    value is null ? null : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

static IReadOnlyList<string> Validate(IReadOnlyList<string> values, IReadOnlyList<string> known, string what)
{
    var unknown = values.Where(v => !known.Contains(v, StringComparer.OrdinalIgnoreCase)).ToList();
    if (unknown.Count > 0)
    {
        throw new ArgumentException($"Unknown {what}(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", known)}.");
    }
    return [.. values.Select(v => known.First(k => string.Equals(k, v, StringComparison.OrdinalIgnoreCase)))];
}
