using System.Diagnostics;
using Experiments;

namespace QuickStart;

/// <summary>
/// Which width and learning rate fit each toy dataset best? 3 datasets × 3 widths × 2 learning rates,
/// 3 repeats each (54 trials); every trial trains a small network from scratch in plain C#.
/// `dotnet build` checks this declaration; `dotnet run -- run` runs it and writes reports/ToyClassification.md.
/// </summary>
[Experiment(Repeats = 3, Objective = MetricNames.ErrorRate, Goal = Goal.Minimize, ScoreConstant = 1)]
[Exclude(nameof(Dataset), "circles", nameof(Hidden), 2, Reason = "two tanh units cannot enclose a disc")]
public partial class ToyClassification
{
    [Values("moons", "circles", "spirals"), KnownIn(typeof(ToyDatasets))]
    public partial string Dataset { get; }

    [Values(2, 8, 32)]
    public partial int Hidden { get; }

    [Values(0.1, 0.5, Key = "lr")]
    public partial double LearningRate { get; }

    [Values(40, 120)]
    public partial int Epochs { get; }

    public Task<TrialResult> RunAsync(TrialContext context)
    {
        var (trainX, trainY) = ToyDatasets.Generate(Dataset, 600, seed: 1);
        var (validX, validY) = ToyDatasets.Generate(Dataset, 300, seed: 2);
        var random = new Random(context.Seed);
        var model = new TinyMlp(Hidden, random);

        var clock = Stopwatch.StartNew();
        double trainLoss = 0;
        for (var epoch = 1; epoch <= Epochs; epoch++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            trainLoss = model.TrainEpoch(trainX, trainY, LearningRate, batchSize: 16, random);
            var (loss, error) = model.Evaluate(validX, validY);
            context.ReportEpoch(epoch, MetricNames.TrainLoss, trainLoss);
            context.ReportEpoch(epoch, MetricNames.ValidLoss, loss);
            context.ReportEpoch(epoch, MetricNames.ErrorRate, error);
            context.ReportProgress((double)epoch / Epochs, $"epoch {epoch}/{Epochs}");
        }
        var fitTime = clock.Elapsed.TotalSeconds;
        var (validLoss, errorRate) = model.Evaluate(validX, validY);

        return Task.FromResult(TrialResult.Success(
            (MetricNames.ErrorRate, errorRate),
            (MetricNames.ValidLoss, validLoss),
            (MetricNames.TrainLoss, trainLoss),
            (MetricNames.FitTime, fitTime),
            ("param_count", model.ParameterCount)));
    }
}
