using Experiments.Results;

namespace Experiments.Reports.Tests.Fixtures;

/// <summary>
/// The shape of the fast.ai lesson's model study: 2 datasets × 5 families of 2–3 sizes (12 models) × 2 learning rates × 3
/// repeats, all passed, with peak memory. Every number is a fixed function of the parameters.
/// </summary>
public static class FamilySweep
{
    private static readonly string[] Datasets = ["fashion-mnist", "shapes"];
    private static readonly string[] LearningRates = ["0.002", "0.008"];

    /// <summary>Model, family, fit time (s) on fashion-mnist, error rate on fashion-mnist.</summary>
    private static readonly (string Model, string Family, double FitTime, double Error)[] Models =
    [
        ("resnet18", "resnet", 21, 0.088), ("resnet34", "resnet", 34, 0.079), ("resnet50", "resnet", 58, 0.071),
        ("resnet18d", "resnet-d", 24, 0.082), ("resnet26d", "resnet-d", 37, 0.073),
        ("convnext_atto", "convnext", 26, 0.075), ("convnext_femto", "convnext", 33, 0.066), ("convnext_pico", "convnext", 47, 0.058),
        ("vit_tiny", "vit", 30, 0.084), ("vit_small", "vit", 62, 0.062),
        ("mobilenetv3_small", "mobilenet", 12, 0.097), ("mobilenetv3_large", "mobilenet", 19, 0.086),
    ];

    public static ExperimentInfo Experiment { get; } = new(
        Name: "FineTuneSweep",
        Repeats: 3,
        Objective: "error_rate",
        Goal: Goal.Minimize,
        ScoreConstant: 80,
        MatrixSize: Datasets.Length * Models.Length * LearningRates.Length * 3,
        RemovedByRules: 0,
        Parameters:
        [
            new ParameterDefinition("Dataset", "dataset", "string", true, Datasets),
            new ParameterDefinition("Arch", "arch", "string", true, Models.Select(m => m.Model).ToArray(),
                Models.Select(m => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { ["family"] = m.Family }).ToArray()),
            new ParameterDefinition("LearningRate", "lr", "double", false, LearningRates),
        ],
        Rules: []);

    public static ReportInput Create() => new(Experiment, Trials(), [], SyntheticSweep.Environment);

    public static IReadOnlyList<TrialRecord> Trials()
    {
        var trials = new List<TrialRecord>();
        var index = 0;
        for (var repeat = 1; repeat <= 3; repeat++)
        {
            foreach (var dataset in Datasets)
            {
                for (var m = 0; m < Models.Length; m++)
                {
                    foreach (var lr in LearningRates)
                    {
                        var (model, _, baseFit, baseError) = Models[m];
                        var shapes = dataset == "shapes";
                        // Deterministic "noise": a different small offset for each repeat, model and rate.
                        var wobble = Math.Sin(index * 12.9898) * 0.5;
                        var error = (shapes ? baseError * 0.6 + 0.01 * (m % 3) : baseError) + (lr == "0.008" ? -0.003 : 0.002) + 0.004 * wobble;
                        var fit = baseFit * (shapes ? 0.7 : 1) + (lr == "0.008" ? -0.8 : 0) + 1.5 * wobble;
                        var metrics = new Dictionary<string, double>
                        {
                            ["error_rate"] = Math.Round(error, 6),
                            ["fit_time"] = Math.Round(fit, 3),
                            ["peak_memory"] = Math.Round(baseFit * 50 * 1024 * 1024),
                        };
                        var parameters = new KeyValuePair<string, string>[] { new("Dataset", dataset), new("Arch", model), new("LearningRate", lr) };
                        trials.Add(new TrialRecord(
                            "FineTuneSweep", $"{dataset}/{model}/lr={lr}#{repeat}", index++, repeat, parameters, TrialStatus.Passed, 1, "lab-01:1:a",
                            null, null, Math.Round(fit + 2, 3), null, "mvid-a1f3", "4217ea9", "cpu", metrics));
                    }
                }
            }
        }
        return trials;
    }
}
