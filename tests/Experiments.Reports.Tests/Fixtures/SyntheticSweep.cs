using Experiments.Results;

namespace Experiments.Reports.Tests.Fixtures;

/// <summary>
/// A fixed sweep shaped like the fast.ai lesson's: 2 datasets × 4 architectures (families from known-set metadata) × 2 learning rates,
/// minus one rule, × 3 repeats; failures with pipes and newlines in their errors, pending, running and interrupted
/// trials, and passed trials from two builds. Every number is computed from the parameters, so it never changes.
/// </summary>
public static class SyntheticSweep
{
    public static readonly ReportEnvironment Environment = new(
        new DateTimeOffset(2025, 3, 14, 9, 30, 0, TimeSpan.Zero), "lab-01", "cuda:0", "9c1d0e7");

    private static readonly string[] Datasets = ["pets", "planet"];
    private static readonly string[] Architectures = ["resnet18", "resnet26d", "convnext_tiny", "vit_small"];
    private static readonly string[] LearningRates = ["0.002", "0.008"];

    private static readonly Dictionary<(string, string), double> BaseError = new()
    {
        [("pets", "resnet18")] = 0.080, [("pets", "resnet26d")] = 0.062, [("pets", "convnext_tiny")] = 0.045, [("pets", "vit_small")] = 0.051,
        [("planet", "resnet18")] = 0.052, [("planet", "resnet26d")] = 0.047, [("planet", "convnext_tiny")] = 0.040, [("planet", "vit_small")] = 0.035,
    };

    private static readonly Dictionary<string, double> BaseFitTime = new()
    {
        ["resnet18"] = 20, ["resnet26d"] = 28, ["convnext_tiny"] = 65, ["vit_small"] = 45,
    };

    private static readonly Dictionary<string, double> PeakMemoryGiB = new()
    {
        ["resnet18"] = 1.2, ["resnet26d"] = 1.6, ["convnext_tiny"] = 3.1, ["vit_small"] = 2.4,
    };

    private static readonly double[] ErrorNoise = [0.0021, -0.0013, -0.0008];
    private static readonly double[] FitNoise = [0.5, -0.3, 0.1];

    public static ExperimentInfo Experiment { get; } = new(
        Name: "FineTune",
        Repeats: 3,
        Objective: "error_rate",
        Goal: Goal.Minimize,
        ScoreConstant: 80,
        MatrixSize: 42,
        RemovedByRules: 2,
        Parameters:
        [
            new ParameterDefinition("Dataset", "dataset", "string", true, Datasets),
            new ParameterDefinition("Arch", "arch", "string", true, Architectures,
            [
                new Dictionary<string, string> { ["family"] = "resnet" },
                new Dictionary<string, string> { ["family"] = "resnet-d" },
                new Dictionary<string, string> { ["family"] = "convnext" },
                new Dictionary<string, string> { ["family"] = "vit", ["input_size"] = "224" },
            ]),
            new ParameterDefinition("LearningRate", "lr", "double", false, LearningRates),
        ],
        Rules: ["Exclude Arch = vit_small with LearningRate = 0.008"]);

    public static ReportInput Create() => new(Experiment, Trials(), EpochMetrics(), Environment);

    public static IReadOnlyList<TrialRecord> Trials()
    {
        var trials = new List<TrialRecord>();
        var index = 0;
        for (var repeat = 1; repeat <= 3; repeat++)
        {
            foreach (var dataset in Datasets)
            {
                foreach (var arch in Architectures)
                {
                    foreach (var lr in LearningRates)
                    {
                        if (arch == "vit_small" && lr == "0.008")
                        {
                            continue;
                        }
                        trials.Add(Trial(index++, repeat, dataset, arch, lr));
                    }
                }
            }
        }
        return trials;
    }

    private static TrialRecord Trial(int index, int repeat, string dataset, string arch, string lr)
    {
        var id = $"{dataset}/{arch}/lr={lr}#{repeat}";
        var archIndex = Array.IndexOf(Architectures, arch);
        var error = BaseError[(dataset, arch)] + (lr == "0.008" ? -0.004 : 0) + ErrorNoise[repeat - 1] * (1 + 0.25 * archIndex);
        var fit = BaseFitTime[arch] * (dataset == "planet" ? 1.5 : 1) + FitNoise[repeat - 1] + (lr == "0.008" ? -0.7 : 0);
        var metrics = new Dictionary<string, double>
        {
            ["error_rate"] = Math.Round(error, 6),
            ["valid_loss"] = Math.Round(error * 3.1, 6),
            ["train_loss"] = Math.Round(error * 2.5, 6),
            ["tta_error_rate"] = Math.Round(error - 0.002, 6),
            ["fit_time"] = Math.Round(fit, 3),
            // Every fit had a wall-clock budget of two minutes (the vision library's MaxFitTime).
            ["fit_budget"] = 120,
            ["peak_memory"] = Math.Round(PeakMemoryGiB[arch] * 1024 * 1024 * 1024),
            // The majority-class error on pets; on planet the best constant per-label error, close enough to the models'
            // errors that configurations with two wide-interval repeats do not beat it beyond noise.
            ["baseline_error_rate"] = dataset == "pets" ? 0.973 : 0.06,
        };
        var start = new DateTimeOffset(2025, 3, 13, 20, 0, 0, TimeSpan.Zero).AddMinutes(2 * index);
        var (build, revision) = dataset == "planet" && repeat == 2 ? ("mvid-b2c4", "9c1d0e7") : ("mvid-a1f3", "4217ea9");
        var parameters = new KeyValuePair<string, string>[] { new("Dataset", dataset), new("Arch", arch), new("LearningRate", lr) };
        // Two machines shared the sweep (the report says how many hosts produced the results): planet ran on lab-02.
        var worker = dataset == "planet" ? "lab-02:5151:ef56ab78" : "lab-01:4242:ab12cd34";
        var passed = new TrialRecord(
            "FineTune", id, index, repeat, parameters, TrialStatus.Passed, 1, worker,
            start, start.AddSeconds(fit + 4.2), Math.Round(fit + 4.2, 3), null, build, revision, "cuda:0", metrics);

        return id switch
        {
            "pets/resnet18/lr=0.008#3" => Failed(passed, "CUDA out of memory | tried to allocate 2.00 GiB\n   at Trainer.Fit() in Trainer.cs:line 42", 2),
            "planet/vit_small/lr=0.002#2" => Failed(passed, "NaN loss at epoch 2 <valid_loss=nan> *diverged*", 1),
            "planet/resnet26d/lr=0.002#1" => Failed(passed, "Image `img_001.jpg` is corrupt\r\nSee the inner exception", 1),
            "planet/convnext_tiny/lr=0.008#3" => passed with
            {
                Status = TrialStatus.Interrupted, FinishedAt = null, DurationSeconds = null, Metrics = new Dictionary<string, double>(),
            },
            "planet/resnet18/lr=0.008#2" => passed with
            {
                Status = TrialStatus.Running, FinishedAt = null, DurationSeconds = null, Metrics = new Dictionary<string, double>(),
            },
            "planet/convnext_tiny/lr=0.002#3" or "planet/resnet18/lr=0.008#3" => passed with
            {
                Status = TrialStatus.Pending, Attempt = 0, Worker = null, StartedAt = null, FinishedAt = null, DurationSeconds = null,
                BuildId = null, SourceRevision = null, Device = null, Metrics = new Dictionary<string, double>(),
            },
            _ => passed,
        };
    }

    private static TrialRecord Failed(TrialRecord trial, string error, int attempt) => trial with
    {
        Status = TrialStatus.Failed,
        Attempt = attempt,
        Error = error,
        DurationSeconds = 3.25,
        FinishedAt = trial.StartedAt!.Value.AddSeconds(3.25),
        Metrics = new Dictionary<string, double>(),
    };

    private static IReadOnlyList<EpochMetric> EpochMetrics()
        => [.. Enumerable.Range(1, 3).Select(epoch => new EpochMetric("pets/convnext_tiny/lr=0.008#1", 1, epoch, "valid_loss", 0.3 / epoch))];
}
