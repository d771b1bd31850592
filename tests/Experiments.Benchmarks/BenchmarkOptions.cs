using Experiments.Vision.Models;

namespace Experiments.Benchmarks;

/// <summary>The parts of a run (<c>--sections</c>).</summary>
public static class SectionNames
{
    public const string Matmul = "matmul";
    public const string Training = "training";
    public const string Tuning = "tuning";
    public const string Memory = "memory";
    public const string Data = "data";
    public const string Runner = "runner";
    public const string Generator = "generator";
    public const string Store = "store";
    public const string Peer = "peer";
    public const string Busy = "busy";

    /// <summary>Accuracy and time of fp32 against mixed bf16 over real fits; long, so only when asked for.</summary>
    public const string Precision = "precision";

    /// <summary>Restart vs continue of vision trials promoted by successive halving over real fits; long, so only when asked for.</summary>
    public const string Rungs = "rungs";

    /// <summary>Where a training step's time goes, per operator kind and module; only when asked for.</summary>
    public const string Operators = "operators";

    /// <summary>The default run.</summary>
    public static IReadOnlyList<string> All { get; } = [Matmul, Training, Tuning, Memory, Data, Runner, Generator, Store, Peer, Busy];

    /// <summary>Every section <c>--sections</c> accepts: the default run's and the ones run only when named.</summary>
    public static IReadOnlyList<string> Known { get; } = [.. All, Precision, Rungs, Operators];
}

/// <summary>Settings of one run: a profile (<c>--quick</c>, the default, or <c>--full</c>) with the command line's overrides.</summary>
public sealed record BenchmarkOptions
{
    /// <summary>quick or full.</summary>
    public required string Profile { get; init; }

    public required IReadOnlyList<string> Sections { get; init; }

    public required string OutputDirectory { get; init; }

    // ---- training (section "training") ----

    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Input sizes for models that take any size; a ViT runs at its one size.</summary>
    public required IReadOnlyList<int> Sizes { get; init; }

    public int BatchSize { get; init; } = 64;

    /// <summary>Training steps per measured round; null: as many as fill <see cref="RoundSeconds"/> (at least <see cref="MinSteps"/>).</summary>
    public int? Steps { get; init; }

    /// <summary>Target length of one measured round when <see cref="Steps"/> is not given.</summary>
    public double RoundSeconds { get; init; } = 1;

    /// <summary>
    /// At least this many steps per round: a pipeline round is one epoch, and an epoch's first batch (after the previous
    /// epoch's validation) is slower — a fixed cost per epoch that a round of two steps would blow up.
    /// </summary>
    public int MinSteps { get; init; } = 6;

    public int MaxSteps { get; init; } = 50;

    /// <summary>Interleaved A/B rounds per configuration (each round: one bare-loop run and one pipeline epoch, order alternating).</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>
    /// Training section: seconds each loop of a configuration is measured for, at least. When <see cref="Rounds"/>
    /// rounds would be shorter, rounds are added, up to three times <see cref="Rounds"/>: the fastest models, whose
    /// per-round ratios are the noisiest, get more pairs. 0 keeps <see cref="Rounds"/>.
    /// </summary>
    public double MeasureSeconds { get; init; }

    /// <summary>Untimed steps before the rounds (the pipeline gets one untimed epoch).</summary>
    public int WarmupSteps { get; init; } = 1;

    // ---- settings applied to the training section (and baselines of the tuning section) ----

    public bool ChannelsLast { get; init; }

    public bool Bf16 { get; init; }

    /// <summary>torch.set_num_threads for the whole run (null: LibTorch's default).</summary>
    public int? Threads { get; init; }

    /// <summary>torch.set_num_interop_threads, set once at start (null: LibTorch's default).</summary>
    public int? InteropThreads { get; init; }

    // ---- tuning ----

    public required IReadOnlyList<string> TuneModels { get; init; }

    public int TuneSize { get; init; } = 32;

    // ---- precision (fp32 vs mixed bf16 accuracy; at TuneSize px) ----

    public IReadOnlyList<string> PrecisionModels { get; init; } = [ModelCatalog.ResNet18, ModelCatalog.ConvNeXtAtto];

    public int PrecisionRepeats { get; init; } = 3;

    public int PrecisionEpochs { get; init; } = 3;

    public int PrecisionTrainItems { get; init; } = 5_000;

    public int PrecisionValidItems { get; init; } = 5_000;

    public double PrecisionLearningRate { get; init; } = 1e-2;

    // ---- rungs (restart vs continue of promoted vision trials; Fashion-MNIST sample at 32 × 40 px) ----

    public IReadOnlyList<string> RungsModels { get; init; } = [ModelCatalog.ResNet20, ModelCatalog.ResNet20CntkIn1k, ModelCatalog.ConvNeXtAtto];

    public IReadOnlyList<int> RungsSeeds { get; init; } = [1, 2];

    /// <summary>Training images of each fit (the first of the sample's 1,000); null: all.</summary>
    public int? RungsTrainItems { get; init; }

    // ---- operators (per-operator breakdown of the training step) ----

    /// <summary>Models of the operators section (<c>--models</c> replaces them).</summary>
    public IReadOnlyList<string> OperatorModels { get; init; } = [ModelCatalog.RegNetY002, ModelCatalog.ConvNeXtAtto, ModelCatalog.ResNet18];

    /// <summary>Input sizes of the operators section (<c>--sizes</c> replaces them).</summary>
    public IReadOnlyList<int> OperatorSizes { get; init; } = [32];

    /// <summary>Measured steps (forward) and isolated backward runs per module.</summary>
    public int OperatorRepeats { get; init; } = 5;

    // ---- memory ----

    /// <summary>Models of the memory section (at 32 px).</summary>
    public required IReadOnlyList<string> MemoryModels { get; init; }

    public int MemoryEpochs { get; init; } = 20;

    /// <summary>Training batches per epoch of the memory section.</summary>
    public int MemoryBatches { get; init; } = 8;

    // ---- peer (PyTorch) and busy ----

    /// <summary>The Python that runs the PyTorch peer (null: /usr/bin/python3, then python3 on PATH, the first that imports torch).</summary>
    public string? Python { get; init; }

    /// <summary>Catalog models of the peer section (each where torchvision builds it with the same parameter count).</summary>
    public IReadOnlyList<string> PeerModels { get; init; } = [ModelCatalog.ResNet18];

    /// <summary>Peer section: only compare the parameter counts of each model (no training).</summary>
    public bool PeerCountsOnly { get; init; }

    /// <summary>Input size of the peer and busy sections (a model with one input size runs at its own).</summary>
    public int PeerSize { get; init; } = 32;

    /// <summary>Model of the busy section.</summary>
    public string BusyModel { get; init; } = ModelCatalog.ResNet18;

    /// <summary>Threads of the competing process in the busy section, one measurement per value (0: none).</summary>
    public IReadOnlyList<int> BusyThreads { get; init; } = [1];

    // ---- micro-benchmarks (BenchmarkDotNet) ----

    public int MicroWarmupCount { get; init; } = 2;

    public int MicroIterationCount { get; init; } = 5;

    public double MicroIterationMilliseconds { get; init; } = 100;

    public IReadOnlyList<int> MatmulSizes { get; init; } = [1024, 2048];

    // ---- data pipeline ----

    public int JpegCount { get; init; } = 192;

    public int FashionMnistCount { get; init; } = 10_000;

    // ---- runner / generator ----

    /// <summary>No-op trials of the generated experiment; the per-trial cost is the slope between a run of <see cref="RunnerSmallTrials"/> and one of these.</summary>
    public int RunnerTrials { get; init; } = 100;

    public int RunnerSmallTrials { get; init; } = 10;

    /// <summary>Runs of each runner measurement (the median is reported).</summary>
    public int RunnerRepeats { get; init; } = 1;

    public int GeneratorRepeats { get; init; } = 5;

    public bool Runs(string section) => Sections.Contains(section, StringComparer.OrdinalIgnoreCase);

    public static readonly IReadOnlyList<string> QuickModels =
        [ModelCatalog.RegNetY002, ModelCatalog.ResNet18, ModelCatalog.ConvNeXtAtto, ModelCatalog.ViTTinyPatch4x32];

    public static readonly IReadOnlyList<string> QuickTuneModels = [ModelCatalog.ResNet18];

    public static readonly IReadOnlyList<string> FullTuneModels = [ModelCatalog.ResNet18, ModelCatalog.RegNetY002];

    public static BenchmarkOptions Quick(string outputDirectory) => new()
    {
        Profile = "quick",
        Sections = SectionNames.All,
        OutputDirectory = outputDirectory,
        Models = QuickModels,
        Sizes = [32, 64],
        RoundSeconds = 1,
        Rounds = 7,
        MeasureSeconds = 20,
        TuneModels = QuickTuneModels,
        MemoryModels = [ModelCatalog.RegNetY002],
    };

    public static BenchmarkOptions Full(string outputDirectory) => new()
    {
        Profile = "full",
        Sections = SectionNames.All,
        OutputDirectory = outputDirectory,
        Models = [.. ModelCatalog.All.Select(m => m.Name)],
        Sizes = [32, 64],
        RoundSeconds = 5,
        Rounds = 5,
        MeasureSeconds = 60,
        MinSteps = 8,
        WarmupSteps = 2,
        TuneModels = FullTuneModels,
        MemoryModels = [ModelCatalog.RegNetY002, ModelCatalog.ResNet18],
        MemoryBatches = 20,
        PeerModels = [.. ModelCatalog.All.Select(m => m.Name)],
        BusyThreads = [0, 1, 2],
        MicroWarmupCount = 3,
        MicroIterationCount = 10,
        MicroIterationMilliseconds = 250,
        JpegCount = 960,
        FashionMnistCount = 60_000,
        RunnerTrials = 1000,
        RunnerSmallTrials = 100,
        RunnerRepeats = 3,
        GeneratorRepeats = 15,
    };
}
