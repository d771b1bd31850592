using System.Globalization;
using Experiments.Benchmarks.Reporting;
using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Training;
using Experiments.Vision.Transforms;
using static TorchSharp.torch;

namespace Experiments.Benchmarks.Sections;

/// <summary>
/// Whether mixed bf16 (<see cref="MixedPrecision.Bf16"/>) keeps the accuracy of fp32 and what it saves end to end:
/// real one-cycle fits from scratch on Fashion-MNIST, fp32 and mixed bf16 paired (the same seed, so the same initial
/// weights and batch order), repeats interleaved. Not part of the default run (it trains for many minutes):
/// <c>--sections precision</c>.
/// </summary>
public static class PrecisionSection
{
    public static void Run(RunContext context)
    {
        var options = context.Options;
        var table = new ResultTable("precision",
            $"fp32 vs mixed bf16: one-cycle fits from scratch, {options.PrecisionEpochs} epochs at {options.TuneSize} px, batch {options.BatchSize}, {options.PrecisionRepeats} repeats",
            "model", "precision", "error_rate mean", "error_rate std", "error rates", "fit s mean", "train img/s mean", "fit time ratio", "within fp32 noise");
        if (!context.Machine.HasBf16)
        {
            table.Note("This CPU has no bf16 arithmetic (no avx512_bf16 / amx_bf16): mixed bf16 would be emulated; measured anyway.");
        }
        var train = TrainingData.TrainSubset(Math.Min(options.PrecisionTrainItems, TrainingData.Train.Count));
        var valid = TrainingData.ValidSubset(Math.Min(options.PrecisionValidItems, TrainingData.Test.Count));
        foreach (var model in options.PrecisionModels)
        {
            var runs = new Dictionary<MixedPrecision, List<FitResult>> { [MixedPrecision.Off] = [], [MixedPrecision.Bf16] = [] };
            for (int repeat = 1; repeat <= options.PrecisionRepeats; repeat++)
            {
                // Alternate which precision goes first, so that drift of the machine's load does not favour one.
                MixedPrecision[] order = repeat % 2 == 1 ? [MixedPrecision.Off, MixedPrecision.Bf16] : [MixedPrecision.Bf16, MixedPrecision.Off];
                foreach (var precision in order)
                {
                    var fit = Fit(model, precision, repeat, train, valid, options);
                    runs[precision].Add(fit);
                    RunReport.Progress($"  precision {model} {fit.Precision} #{repeat}: error_rate {fit.ErrorRate:0.0000}, fit {fit.FitTimeSeconds:0.0} s, {fit.TrainImagesPerSecond:0} img/s");
                }
            }
            var fp32 = runs[MixedPrecision.Off];
            var mixed = runs[MixedPrecision.Bf16];
            var (fp32Mean, fp32Std) = MeanStd(fp32.Select(f => f.ErrorRate));
            var (mixedMean, mixedStd) = MeanStd(mixed.Select(f => f.ErrorRate));
            double fp32Time = fp32.Average(f => f.FitTimeSeconds);
            // Within the noise: the difference of the means is under two standard errors of that difference.
            double standardError = Math.Sqrt(((fp32Std * fp32Std) + (mixedStd * mixedStd)) / options.PrecisionRepeats);
            bool within = Math.Abs(mixedMean - fp32Mean) <= 2 * standardError;
            foreach (var (name, fits, mean, std) in new[] { ("fp32", fp32, fp32Mean, fp32Std), ("mixed bf16", mixed, mixedMean, mixedStd) })
            {
                table.Add(model, name, Rate(mean), Rate(std), string.Join(" ", fits.Select(f => Rate(f.ErrorRate))),
                    fits.Average(f => f.FitTimeSeconds), fits.Average(f => f.TrainImagesPerSecond), fits.Average(f => f.FitTimeSeconds) / fp32Time,
                    ReferenceEquals(fits, fp32) ? "" : (within ? "yes" : $"no (Δ {mixedMean - fp32Mean:+0.0000;-0.0000}, 2 SE {2 * standardError:0.0000})"));
            }
        }
        table.Note($"Data: {TrainingData.Source}; the first {train.Count} training images, validated on the first {valid.Count} test images; grey, squished to {options.TuneSize} px, "
            + $"no augmentation or normalisation (a from-scratch vision trial's setup), models with one input channel; fit_one_cycle(lr {options.PrecisionLearningRate.ToString(CultureInfo.InvariantCulture)}), fastai's AdamW.");
        table.Note("Paired runs: repeat k of both precisions uses seed k (initial weights, batch order), fp32 and mixed alternating which goes first. "
            + "error_rate std is the sample standard deviation over the repeats; 'within fp32 noise': |mean difference| ≤ 2 standard errors of the difference. "
            + "fit s is the whole fit (training and per-epoch validation); fit time ratio is over the fp32 mean.");
        context.Report.Add(table);
    }

    private static FitResult Fit(string modelName, MixedPrecision precision, int seed, IImageDataset train, IImageDataset valid, BenchmarkOptions options)
    {
        random.manual_seed(seed);
        using var model = ModelCatalog.Create(modelName, numClasses: train.Classes.Count, inChannels: 1);
        var resize = new Resize(options.TuneSize, ResizeMethod.Squish);
        var trainLoader = new ImageDataLoader(train, new DataLoaderOptions { BatchSize = options.BatchSize, Training = true, Seed = seed, ItemTransform = resize, DecodeThreads = 1 });
        var validLoader = new ImageDataLoader(valid, new DataLoaderOptions { BatchSize = 256, Seed = seed, ItemTransform = resize, DecodeThreads = 1 });
        using var learner = new Learner(model, trainLoader, validLoader, new LearnerOptions { MixedPrecision = precision, Seed = seed });
        return learner.FitOneCycle(options.PrecisionEpochs, options.PrecisionLearningRate);
    }

    // Error rates on a few thousand images: four decimals (one image in 5,000 is 0.0002), never exponent notation.
    private static string Rate(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        var list = values.ToList();
        double mean = list.Average();
        double std = list.Count > 1 ? Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1)) : 0;
        return (mean, std);
    }
}
