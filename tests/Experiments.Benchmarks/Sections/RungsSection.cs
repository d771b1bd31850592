using System.Globalization;
using Experiments.Benchmarks.Reporting;
using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Transforms;
using Experiments.Vision.Trials;

namespace Experiments.Benchmarks.Sections;

/// <summary>
/// What a vision trial promoted by successive halving gains from continuing instead of restarting
/// (<see cref="VisionTrialSettings.RungStart"/>): each configuration and seed is trained at the rungs 3 and 9 epochs from
/// scratch (restart), and along the chain 1 → 3 → 9 where each rung loads the rung below's continuation checkpoint and
/// trains only the added epochs (continue). <see cref="VisionTrial.Run"/> is called with hand-built contexts carrying a
/// <see cref="SearchRung"/>, as the runner builds them. Not part of the default run (minutes of training):
/// <c>--sections rungs</c>.
/// </summary>
public static class RungsSection
{
    private static readonly int[] Rungs = [1, 3, 9];
    private const double LearningRate = 1e-2;

    public static void Run(RunContext context)
    {
        var table = new ResultTable("rungs",
            "Successive-halving rungs: restart (train the rung's budget from scratch) vs continue (load the rung below, train the added epochs)",
            "config", "seed", "restart@9 error", "restart@9 fit s", "restart@9 epochs", "continue 3→9 error", "continue 3→9 fit s", "continue 3→9 epochs",
            "chain 1→3→9 fit s", "chain 1→3→9 epochs");
        string root = Path.Combine(Path.GetTempPath(), $"experiments-rungs-{Environment.ProcessId}");
        try
        {
            foreach (var architecture in context.Options.RungsModels)
            {
                double learningRate = LearningRate;
                string config = string.Create(CultureInfo.InvariantCulture, $"{architecture} lr {learningRate}");
                foreach (int seed in context.Options.RungsSeeds)
                {
                    // The top rung trained from scratch, as a grid trial would.
                    var restarted = Trial(root, architecture, learningRate, seed, Rungs.Length - 1, null, RungStart.Restart, context.Options.RungsTrainItems);
                    RunReport.Progress(string.Create(CultureInfo.InvariantCulture,
                        $"  rungs {config} seed {seed} restart at {Rungs[^1]}: error {restarted.Metric(MetricNames.ErrorRate):0.000}, fit {restarted.Metric(MetricNames.FitTime):0.0} s, "
                        + $"{restarted.Metric(VisionTrialMetricNames.BudgetSpent)} epochs"));
                    // The chain 1 → 3 → 9, each rung continuing from the one below: what a promoted configuration costs.
                    string? below = null;
                    double chainSeconds = 0, chainEpochs = 0;
                    Outcome? continued = null;
                    for (int index = 0; index < Rungs.Length; index++)
                    {
                        continued = Trial(root, architecture, learningRate, seed, index, below, RungStart.Continue, context.Options.RungsTrainItems);
                        chainSeconds += continued.Metric(MetricNames.FitTime);
                        chainEpochs += continued.Metric(VisionTrialMetricNames.BudgetSpent);
                        below = continued.Directory;
                        RunReport.Progress(string.Create(CultureInfo.InvariantCulture,
                            $"  rungs {config} seed {seed} continue at {Rungs[index]}: error {continued.Metric(MetricNames.ErrorRate):0.000}, fit {continued.Metric(MetricNames.FitTime):0.0} s, "
                            + $"{continued.Metric(VisionTrialMetricNames.BudgetSpent)} epochs (chain {chainSeconds:0.0} s, {chainEpochs} epochs)"));
                    }
                    table.Add(config, seed,
                        restarted.Metric(MetricNames.ErrorRate), restarted.Metric(MetricNames.FitTime), restarted.Metric(VisionTrialMetricNames.BudgetSpent),
                        continued!.Metric(MetricNames.ErrorRate), continued.Metric(MetricNames.FitTime), continued.Metric(VisionTrialMetricNames.BudgetSpent),
                        chainSeconds, chainEpochs);
                }
            }
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
        table.Note($"Data: the packaged Fashion-MNIST sample ({(context.Options.RungsTrainItems is { } items ? $"the first {items} of its 1,000 training images" : "1,000 training images")}, validated on its 200 test images), squished to 32 × 40 px, batch 16, average pooling: "
            + "the FineTuneSweep example's sample settings. From scratch: fit_one_cycle(lr); resnet20.cntk_in1k: fine_tune(lr, lr_mult 10), whose restart trains 1 frozen epoch more.");
        table.Note("Continue: each rung loads the rung below's continuation.safetensors and trains the added epochs with a new one-cycle over them (pretrained: unfrozen only). "
            + "The chain's columns add up the rungs 1, 3 and 9: what a configuration promoted to the top costs when it continues, against the restart@9 trial alone.");
        context.Report.Add(table);
    }

    private sealed record Outcome(string Directory, IReadOnlyDictionary<string, double> Metrics)
    {
        public double Metric(string name) => Metrics.TryGetValue(name, out var value) ? value : double.NaN;
    }

    private static Outcome Trial(string root, string architecture, double learningRate, int seed, int index, string? below, RungStart start, int? trainItems)
    {
        int budget = Rungs[index];
        string configuration = string.Create(CultureInfo.InvariantCulture, $"fashion-mnist-sample/{architecture}/lr={learningRate}");
        string id = string.Create(CultureInfo.InvariantCulture, $"{configuration}/epochs={budget}#{seed}");
        string belowId = index == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{configuration}/epochs={Rungs[index - 1]}#{seed}");
        string directory = Path.Combine(root, start.ToString(), architecture, seed.ToString(CultureInfo.InvariantCulture), budget.ToString(CultureInfo.InvariantCulture));
        var rung = index == 0
            ? new SearchRung(0, budget, null, null, null)
            : new SearchRung(index, budget, Rungs[index - 1], belowId, below);
        var trial = new Trial("rungs", id, index: 0, repeat: seed, seed, []);
        var context = new TrialContext(trial, "cpu", directory, new SilentObserver(), CancellationToken.None) { Rung = rung };
        var outcome = VisionTrial.Run(context, new VisionTrialSettings
        {
            Dataset = VisionDatasets.FashionMnistSample,
            Architecture = architecture,
            LearningRate = learningRate,
            Resize = ResizeMethod.Squish,
            Pooling = Pooling.Average,
            Height = 32,
            Width = 40,
            Epochs = budget,
            BatchSize = 16,
            Validation = ValidationSource.TestPart,
            MaxItems = trainItems,
            LrMult = 10,
            RungStart = start,
            TopRungBudget = Rungs[^1],
        });
        return new Outcome(directory, outcome.Metrics.ToDictionary(m => m.Name, m => m.Value, StringComparer.Ordinal));
    }

    private sealed class SilentObserver : ITrialObserver
    {
        public void OnMetric(string name, double value, int? epoch)
        {
        }

        public void OnProgress(double fraction, string? message)
        {
        }
    }
}
