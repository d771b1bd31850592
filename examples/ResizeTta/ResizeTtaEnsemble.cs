using System.Globalization;
using System.Text;
using Experiments.Vision.Data;
using Experiments.Vision.Inference;
using Experiments.Vision.Transforms;
using Experiments.Vision.Trials;

namespace ResizeTtaExample;

/// <summary>
/// The lesson's last step: "a little loop which opens each of those models up, grabs the TTA predictions, sticks them
/// into a list, and at the end averages them". It reads the exports of <see cref="ResizeTta"/>'s trials from their
/// artifact folders, takes the best export of each architecture by its stored <c>tta_error_rate</c> (then the next
/// best exports, to fill <see cref="Members"/>), averages the members' TTA probabilities on the sweep's validation
/// split, and reports the ensemble's <c>error_rate</c>; the predictions go to <c>ensemble_predictions.csv</c> and the
/// members to <c>members.md</c> in the trial's output folder.
/// </summary>
/// <remarks>
/// The runner runs a project's experiments one after the other in the order of their full type names, so
/// <c>dotnet run -- run</c> runs <see cref="ResizeTta"/> first and this one after it. Its trials pass once and are
/// kept: after a change to the sweep, run <c>dotnet run -- run --experiment ResizeTtaEnsemble --rerun</c>.
/// </remarks>
[Experiment(Objective = MetricNames.ErrorRate, Goal = Goal.Minimize)]
public partial class ResizeTtaEnsemble
{
    /// <summary>Models averaged: 1 is the best single export (its TTA recomputed here), 3 one of each architecture.</summary>
    [Values(1, 2, 3)]
    public partial int Members { get; }

    public Task<TrialResult> RunAsync(TrialContext context) => Task.Factory.StartNew(
        () => Run(context), context.Cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private TrialResult Run(TrialContext context)
    {
        var members = PickMembers(context, Members);
        var device = VisionTrial.DeviceOf(context.Device);

        // The sweep's validation images: same data, same split.
        var data = WideFashion.Open(ResizeTta.Images);
        var valid = DatasetSplit.Random(data, ResizeTta.ValidFraction, ResizeTta.SplitSeed).Valid;

        using var ensemble = Ensemble.Load(members.Select(m => m.Path), device);
        var tta = new List<Predictions>();
        var plain = new List<Predictions>();
        try
        {
            foreach (var model in ensemble.Models)
            {
                context.Cancellation.ThrowIfCancellationRequested();
                context.ReportProgress((double)tta.Count / members.Count, $"TTA of {model.Name}");
                // The same augmentation draws for every model (as Ensemble.PredictTta does), from the trial's seed.
                tta.Add(model.PredictTta(valid, new BatchAugmentation(AugmentationOptions.Default, context.Seed), cancellationToken: context.Cancellation));
                plain.Add(model.Predict(valid, cancellationToken: context.Cancellation));
            }
            using var averaged = Ensemble.Average(tta);
            using var averagedPlain = Ensemble.Average(plain);
            PredictionsCsv.Write(Path.Combine(context.OutputDirectory, "ensemble_predictions.csv"), averaged, valid);
            var memberErrors = tta.Select(p => p.ErrorRate()).ToArray();
            WriteMembers(Path.Combine(context.OutputDirectory, "members.md"), members, memberErrors, plain.Select(p => p.ErrorRate()).ToArray(),
                averaged.ErrorRate(), averagedPlain.ErrorRate());
            context.ReportProgress(1, $"ensemble of {string.Join(", ", members.Select(m => m.Manifest.Name))}: error_rate {averaged.ErrorRate():0.###}");

            return TrialResult.Success(
                (MetricNames.ErrorRate, averaged.ErrorRate()),
                ("plain_error_rate", averagedPlain.ErrorRate()),
                ("best_member_tta_error_rate", memberErrors.Min()),
                ("mean_member_tta_error_rate", memberErrors.Average()),
                ("members", members.Count),
                ("valid_images", valid.Count));
        }
        finally
        {
            foreach (var predictions in tta.Concat(plain))
            {
                predictions.Dispose();
            }
        }
    }

    /// <summary>An export of the sweep: its metadata file and what it says.</summary>
    private sealed record Member(string Path, ExportManifest Manifest)
    {
        public double TtaErrorRate => Manifest.Metrics.GetValueOrDefault(VisionTrialMetricNames.TtaErrorRate, double.PositiveInfinity);

        public double ErrorRate => Manifest.Metrics.GetValueOrDefault(MetricNames.ErrorRate, double.PositiveInfinity);

        public string TrialId => Manifest.Properties.GetValueOrDefault("trial_id", "");
    }

    private static List<Member> PickMembers(TrialContext context, int count)
    {
        // The runner gives each trial <artifacts>/<experiment>/<trial>/; the sweep's trials are next door.
        string sweepFolder = Path.GetFullPath(Path.Combine(context.OutputDirectory, "..", "..", nameof(ResizeTta)));
        var sweep = ExperimentRegistry.Find(nameof(ResizeTta))
            ?? throw new InvalidOperationException($"The experiment {nameof(ResizeTta)} is not registered in this project.");
        var trialIds = sweep.Trials.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);

        var exports = Directory.Exists(sweepFolder)
            ? Directory.EnumerateFiles(sweepFolder, "*" + ModelExport.MetadataExtension, SearchOption.AllDirectories)
                .Select(path => new Member(path, ModelExport.ReadManifest(path)))
                // Only this sweep's current trials (not exports left by an older declaration), the newest export of each.
                .Where(m => m.Manifest.Properties.GetValueOrDefault("experiment") == nameof(ResizeTta) && trialIds.Contains(m.TrialId))
                .GroupBy(m => m.TrialId, StringComparer.Ordinal)
                .Select(g => g.OrderByDescending(m => m.Manifest.Created).First())
                .ToList()
            : [];
        if (exports.Count == 0)
        {
            throw new InvalidOperationException(
                $"No exported models of {nameof(ResizeTta)} in '{sweepFolder}': run the sweep first "
                + $"(`dotnet run -- run` runs it before this experiment; `dotnet run -- run --experiment {nameof(ResizeTta)}` runs it alone).");
        }
        string splitSeed = ResizeTta.SplitSeed.ToString(CultureInfo.InvariantCulture);
        if (exports.FirstOrDefault(m => m.Manifest.Properties.GetValueOrDefault("split_seed") != splitSeed) is { } other)
        {
            throw new InvalidOperationException(
                $"{other.Path} was validated on another split (seed {other.Manifest.Properties.GetValueOrDefault("split_seed")}, not {splitSeed}): its TTA error rate is not comparable.");
        }

        static (double, double, string) Rank(Member m) => (m.TtaErrorRate, m.ErrorRate, m.Manifest.Name);
        var bestPerArchitecture = exports
            .GroupBy(m => m.Manifest.Architecture, StringComparer.Ordinal)
            .Select(g => g.OrderBy(Rank).First())
            .OrderBy(Rank)
            .ToList();
        var ranked = bestPerArchitecture.Concat(exports.Except(bestPerArchitecture).OrderBy(Rank)).ToList();
        if (ranked.Count < count)
        {
            throw new InvalidOperationException(
                $"{count} ensemble members asked for, but '{sweepFolder}' holds {ranked.Count} export(s) of passed {nameof(ResizeTta)} trials.");
        }
        return ranked.Take(count).ToList();
    }

    private static void WriteMembers(string path, IReadOnlyList<Member> members, double[] ttaErrors, double[] plainErrors, double ensembleTta, double ensemblePlain)
    {
        static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.AppendLine("| Member | Trial | Stored error_rate | Stored tta_error_rate | error_rate here | tta_error_rate here |");
        text.AppendLine("|:--|:--|--:|--:|--:|--:|");
        for (int i = 0; i < members.Count; i++)
        {
            var m = members[i];
            text.AppendLine($"| {m.Manifest.Name} | {m.TrialId} | {F(m.ErrorRate)} | {F(m.TtaErrorRate)} | {F(plainErrors[i])} | {F(ttaErrors[i])} |");
        }
        text.AppendLine($"| **ensemble (mean of probabilities)** | | | | {F(ensemblePlain)} | **{F(ensembleTta)}** |");
        File.WriteAllText(path, text.ToString());
    }
}
