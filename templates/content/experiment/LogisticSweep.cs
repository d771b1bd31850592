using System.Diagnostics;

namespace Experiment1;

/// <summary>
/// Which learning rate and how many epochs fit a logistic regression best? 2 learning rates × 2 epoch counts,
/// 2 repeats each: 8 trials of a few milliseconds (the leaderboard shows that the small rate needs more epochs).
/// `dotnet build` checks this declaration (a mistake in it is a compiler error); `dotnet run` runs the trials and
/// writes reports/LogisticSweep.md.
/// </summary>
[Experiment(Repeats = 2, Objective = MetricNames.ErrorRate, Goal = Goal.Minimize)]
public partial class LogisticSweep
{
    [Values(0.001, 0.1, Key = "lr")]
    public partial double LearningRate { get; }

    [Values(1, 10)]
    public partial int Epochs { get; }

    public Task<TrialResult> RunAsync(TrialContext context)
    {
        // The data is the same for every trial; the repeat's seed changes the initial weights and the shuffling.
        var (trainX, trainY) = TwoBlobs.Generate(count: 400, seed: 1);
        var (validX, validY) = TwoBlobs.Generate(count: 200, seed: 2);
        var random = new Random(context.Seed);
        var model = new LogisticModel(random);

        var clock = Stopwatch.StartNew();
        double trainLoss = 0;
        for (var epoch = 1; epoch <= Epochs; epoch++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            trainLoss = model.TrainEpoch(trainX, trainY, LearningRate, random);
            context.ReportEpoch(epoch, MetricNames.TrainLoss, trainLoss);
            context.ReportProgress((double)epoch / Epochs, $"epoch {epoch}/{Epochs}");
        }
        var fitTime = clock.Elapsed.TotalSeconds;
        var (validLoss, errorRate) = model.Evaluate(validX, validY);

        return Task.FromResult(TrialResult.Success(
            (MetricNames.ErrorRate, errorRate),
            (MetricNames.ValidLoss, validLoss),
            (MetricNames.TrainLoss, trainLoss),
            (MetricNames.FitTime, fitTime)));
    }
}
