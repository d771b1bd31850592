using System.Globalization;
using Experiments.Reports.Formatting;
using Experiments.Reports.Statistics;
using Experiments.Results;

namespace Experiments.Reports.Model;

/// <summary>Computes a <see cref="ReportModel"/>: counts, per-configuration statistics, rankings and formatting.</summary>
internal static class ReportModelBuilder
{
    /// <summary>How many entries the score table shows (the transcript's top 15).</summary>
    public const int ScoreTableSize = 15;

    public const string FamilyKey = "family";
    public const string WithinNoiseNote = "≈ within noise of #1";
    public const string NoIntervalNote = "1 run, no interval";
    public const string NotLearntNote = "not learnt: not better than the baseline beyond noise";

    public static ReportModel Build(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var experiment = input.Experiment;
        var trials = input.Trials;
        var context = new SweepContext(experiment);
        var passed = trials.Where(t => t.Status == TrialStatus.Passed).ToArray();

        var builds = passed
            .Where(t => !string.IsNullOrEmpty(t.BuildId))
            .GroupBy(t => t.BuildId!, StringComparer.Ordinal)
            .Select(g => new BuildCount(
                MarkdownText.Escape(g.Key),
                MarkdownText.Escape(MostCommon(g.Select(t => t.SourceRevision)) ?? string.Empty),
                g.Count()))
            .OrderByDescending(b => b.Trials)
            .ThenBy(b => b.BuildId, StringComparer.Ordinal)
            .ToArray();

        var sections = Sections(context, trials)
            .Select(section => BuildSection(context, section.Dataset, section.Passed, PlotOf(input.Plots, section.Dataset)))
            .ToArray();

        return new ReportModel(
            Experiment: Summarise(experiment),
            Runs: CountRuns(trials),
            Environment: DescribeEnvironment(input.Environment, trials, passed),
            Builds: builds,
            MixedBuilds: builds.Length > 1,
            HasFamily: context.FamilyParameter is not null,
            HasMemory: passed.Any(t => MetricOf(t, MetricNames.PeakMemory) is not null),
            HasWeights: passed.Any(t => MetricOf(t, MetricNames.Pretrained) is not null),
            HasScore: context.HasScore,
            ScoreFormula: context.HasScore
                ? MarkdownText.Escape(experiment.Objective) + " × (fit time + " + experiment.ScoreConstant.ToString("R", CultureInfo.InvariantCulture) + " s)"
                : null,
            PerDataset: context.DatasetParameter is not null,
            Sections: sections,
            Failed: trials
                .Where(t => t.Status == TrialStatus.Failed)
                .Select(t => new FailedTrial(
                    MarkdownText.Escape(t.TrialId),
                    t.Attempt,
                    t.Error is { Length: > 0 } error ? MarkdownText.FirstLine(error) : "(no error recorded)"))
                .ToArray(),
            EpochMetrics: input.EpochMetrics
                .Select(m => new EpochPoint(MarkdownText.Escape(m.TrialId), m.Attempt, m.Epoch, MarkdownText.Escape(m.Name), m.Value))
                .ToArray());
    }

    private static ExperimentSummary Summarise(ExperimentInfo experiment)
    {
        var minimize = experiment.Goal == Goal.Minimize;
        return new ExperimentSummary(
            MarkdownText.Escape(experiment.Name),
            MarkdownText.Escape(experiment.Objective),
            minimize ? "minimize" : "maximize",
            minimize ? "lower" : "higher",
            experiment.Repeats,
            experiment.MatrixSize,
            experiment.Repeats > 0 ? experiment.MatrixSize / experiment.Repeats : experiment.MatrixSize,
            experiment.RemovedByRules,
            experiment.Rules.Select(MarkdownText.Escape).ToArray(),
            experiment.Parameters
                .Select(p => new ParameterSummary(
                    MarkdownText.Escape(p.Name),
                    p.Values.Count,
                    string.Join(", ", p.Values.Select(MarkdownText.Escape))))
                .ToArray());
    }

    private static RunSummary CountRuns(IReadOnlyList<TrialRecord> trials)
    {
        var compute = trials.Select(t => t.DurationSeconds).OfType<double>().Where(double.IsFinite).Sum();
        return new RunSummary(
            trials.Count,
            trials.Count(t => t.Status == TrialStatus.Passed),
            trials.Count(t => t.Status == TrialStatus.Failed),
            trials.Count(t => t.Status == TrialStatus.Pending),
            trials.Count(t => t.Status == TrialStatus.Running),
            trials.Count(t => t.Status == TrialStatus.Interrupted),
            compute,
            ReadableFormat.Duration(compute));
    }

    private static EnvironmentSummary DescribeEnvironment(ReportEnvironment environment, IReadOnlyList<TrialRecord> trials, IReadOnlyList<TrialRecord> passed)
    {
        var devices = trials
            .Where(t => !string.IsNullOrEmpty(t.Device))
            .GroupBy(t => t.Device!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToArray();
        var trialDevices = devices.Length == 1 && devices[0].Key == environment.Device
            ? string.Empty
            : string.Join(", ", devices.Select(g => $"{MarkdownText.Escape(g.Key)} ({g.Count().ToString(CultureInfo.InvariantCulture)})"));
        var revision = environment.SourceRevision ?? MostCommon(passed.Select(t => t.SourceRevision));
        return new EnvironmentSummary(
            ReadableFormat.Date(environment.GeneratedAt),
            MarkdownText.Escape(environment.Machine),
            MarkdownText.Escape(environment.Device),
            revision is null ? "unknown" : MarkdownText.Escape(revision),
            trialDevices);
    }

    /// <summary>
    /// The report's sections and their passed trials: one per dataset (declared values first, then any value only the
    /// stored trials know), or one for the whole experiment when it has no dataset parameter.
    /// </summary>
    internal static IReadOnlyList<(string? Dataset, TrialRecord[] Passed)> Sections(SweepContext context, IReadOnlyList<TrialRecord> trials)
    {
        var passed = trials.Where(t => t.Status == TrialStatus.Passed).ToArray();
        return context.DatasetParameter is { } datasetParameter
            ? DatasetValues(datasetParameter, trials)
                .Select(value => ((string?)value,
                    passed.Where(t => string.Equals(t.Parameter(datasetParameter.Name) ?? string.Empty, value, StringComparison.Ordinal)).ToArray()))
                .ToArray()
            : [(null, passed)];
    }

    private static ReportPlot? PlotOf(IReadOnlyList<ReportPlot>? plots, string? dataset)
        => plots?.FirstOrDefault(p => p is not null && string.Equals(p.Dataset, dataset, StringComparison.Ordinal));

    /// <summary>Declared dataset values first, then any value only the stored trials know (a renamed dataset).</summary>
    private static IEnumerable<string> DatasetValues(ParameterDefinition dataset, IReadOnlyList<TrialRecord> trials)
        => dataset.Values
            .Concat(trials.Select(t => t.Parameter(dataset.Name) ?? string.Empty))
            .Distinct(StringComparer.Ordinal);

    private static DatasetSection BuildSection(SweepContext context, string? dataset, IReadOnlyList<TrialRecord> passed, ReportPlot? plot)
    {
        var configurations = passed
            .GroupBy(ConfigurationIdOf, StringComparer.Ordinal)
            .Select((group, order) => ConfigurationStats.Of(context, group.Key, order, group.ToArray()))
            .ToList();

        // Ranked by the objective; configurations without it (it was never reported) come last, in matrix order.
        var ranked = configurations
            .OrderBy(c => c.Objective is null ? 1 : 0)
            .ThenBy(c => c.Objective is { } o ? (context.Minimize ? o.Mean : -o.Mean) : 0)
            .ThenBy(c => c.Order)
            .ToArray();
        // Only configurations that beat the trivial baseline take part in claims (noise, Pareto front, shortlist).
        var baseline = Baseline.Of(context, passed);
        bool Learnt(ConfigurationStats c) => baseline?.IsBeatenBy(c.Objective) ?? true;
        var learnt = ranked.Where(Learnt).ToArray();
        var leader = learnt.FirstOrDefault()?.Objective;
        var anyInterval = ranked.Any(c => c.Objective?.HasInterval == true);

        var byScore = ranked
            .Where(c => c.Score is not null)
            .OrderBy(c => c.Score!.Mean)
            .ThenBy(c => c.Order)
            .ToArray();
        var scoreLeader = byScore.FirstOrDefault(Learnt)?.Score;
        var anyScoreInterval = byScore.Any(c => c.Score!.HasInterval);
        var scoreRanks = byScore.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i + 1);

        var entries = new Dictionary<ConfigurationStats, LeaderboardEntry>();
        for (var i = 0; i < ranked.Length; i++)
        {
            var c = ranked[i];
            var isLearnt = Learnt(c);
            var withinNoise = isLearnt && c.Objective is { } objective && leader is not null && !ReferenceEquals(objective, leader) && objective.Overlaps(leader);
            var scoreRank = scoreRanks.GetValueOrDefault(c);
            var scoreWithinNoise = isLearnt && c.Score is { } score && scoreLeader is not null && !ReferenceEquals(score, scoreLeader) && score.Overlaps(scoreLeader);
            entries[c] = new LeaderboardEntry(
                Rank: i + 1,
                ConfigurationId: MarkdownText.Escape(c.Id),
                Configuration: MarkdownText.Escape(c.Label),
                Family: MarkdownText.Escape(c.Family ?? ReadableFormat.Missing),
                Model: MarkdownText.Escape(c.Model ?? string.Empty),
                Runs: c.Runs,
                Objective: c.Objective?.Mean,
                ObjectiveStd: c.Objective?.StandardDeviation,
                ObjectiveLow: c.Objective?.Low,
                ObjectiveHigh: c.Objective?.High,
                ObjectiveText: ReadableFormat.MeanAndSpread(c.Objective?.Mean, c.Objective?.StandardDeviation),
                FitTime: c.FitTime,
                FitTimeText: ReadableFormat.Duration(c.FitTime),
                PeakMemory: c.PeakMemory,
                PeakMemoryText: ReadableFormat.Memory(c.PeakMemory),
                Score: c.Score?.Mean,
                ScoreText: ReadableFormat.MeanAndSpread(c.Score?.Mean, c.Score?.StandardDeviation),
                ScoreRank: scoreRank,
                WithinNoise: withinNoise,
                Note: !isLearnt ? NotLearntNote : withinNoise ? WithinNoiseOf(RankOf(ranked, learnt.FirstOrDefault())) : NoteWithoutOverlap(c.Objective, anyInterval),
                ScoreWithinNoise: scoreWithinNoise,
                ScoreNote: !isLearnt ? NotLearntNote : scoreWithinNoise ? WithinNoiseOf(RankOf(byScore, byScore.FirstOrDefault(Learnt))) : NoteWithoutOverlap(c.Score, anyScoreInterval),
                Learnt: isLearnt);
        }

        var leaderboard = ranked.Select(c => entries[c]).ToArray();
        var shortlist = Shortlist(learnt);
        var models = context.FamilyParameter is null ? (Entries: [], Uncertainty: string.Empty) : Models(context, passed, baseline);
        return new DatasetSection(
            Dataset: dataset is null ? null : MarkdownText.Escape(dataset),
            Heading: dataset is null ? "Results" : "Dataset: " + MarkdownText.Escape(dataset),
            Passed: passed.Count,
            Leaderboard: leaderboard,
            Uncertainty: UncertaintySentence(learnt.Select(c => c.Objective).OfType<SampleSummary>().ToArray(), leaderRank: RankOf(ranked, learnt.FirstOrDefault())),
            ScoreTop: byScore.Take(ScoreTableSize).Select(c => entries[c]).ToArray(),
            ScoreUncertainty: UncertaintySentence(byScore.Where(Learnt).Select(c => c.Score!).ToArray(), leaderRank: RankOf(byScore, byScore.FirstOrDefault(Learnt))),
            Families: context.FamilyParameter is null ? [] : Families(leaderboard),
            Models: models.Entries.Take(ScoreTableSize).ToArray(),
            ModelCount: models.Entries.Count,
            ModelUncertainty: models.Uncertainty,
            ParetoFront: ParetoFront(context, learnt).Select(c => entries[c]).ToArray(),
            ScatterPlot: plot is null ? null : Image(context, plot, passed),
            Effects: Effects(context, passed),
            Shortlist: shortlist.Entries.Select(c => entries[c]).ToArray(),
            ShortlistUsesMemory: shortlist.MemoryMedian is not null,
            FitTimeMedianText: ReadableFormat.Duration(shortlist.FitTimeMedian),
            MemoryMedianText: ReadableFormat.Memory(shortlist.MemoryMedian),
            DataText: DataText(passed),
            BaselineText: baseline is null ? string.Empty : BaselineText(baseline),
            NotLearnt: ranked.Length - learnt.Length,
            LearntSentence: baseline is null ? string.Empty : LearntSentence(context, ranked.Length, learnt.Length));
    }

    /// <summary>1-based place of <paramref name="entry"/> in <paramref name="ranked"/> (1 when absent).</summary>
    private static int RankOf<T>(IReadOnlyList<T> ranked, T? entry) where T : class
    {
        for (var i = 0; i < ranked.Count; i++)
        {
            if (ReferenceEquals(ranked[i], entry))
            {
                return i + 1;
            }
        }
        return 1;
    }

    /// <summary>The noise note against the best learnt entry, which is #1 unless better-ranked entries were not learnt.</summary>
    private static string WithinNoiseOf(int leaderRank) => leaderRank == 1 ? WithinNoiseNote : $"≈ within noise of #{leaderRank}";

    /// <summary>
    /// What the section's trials trained and validated on, from the <c>train_images</c>, <c>valid_images</c> and
    /// <c>data_sample</c> metrics (e.g. "1,000 training and 200 validation images, a packaged sample"); empty when no
    /// trial reports them. Counts that differ between trials are given as a range.
    /// </summary>
    internal static string DataText(IReadOnlyList<TrialRecord> passed)
    {
        static string Count(IReadOnlyList<TrialRecord> trials, string metric)
        {
            var values = trials.Select(t => MetricOf(t, metric)).OfType<double>().ToArray();
            if (values.Length == 0)
            {
                return string.Empty;
            }
            var (low, high) = (values.Min(), values.Max());
            return low == high
                ? low.ToString("N0", CultureInfo.InvariantCulture)
                : $"{low.ToString("N0", CultureInfo.InvariantCulture)}–{high.ToString("N0", CultureInfo.InvariantCulture)}";
        }
        var train = Count(passed, MetricNames.TrainImages);
        var valid = Count(passed, MetricNames.ValidImages);
        if (train.Length == 0 && valid.Length == 0)
        {
            return string.Empty;
        }
        var parts = new List<string>();
        if (train.Length > 0)
        {
            parts.Add($"{train} training");
        }
        if (valid.Length > 0)
        {
            parts.Add($"{valid} validation");
        }
        var text = string.Join(" and ", parts) + " images";
        var samples = passed.Select(t => MetricOf(t, MetricNames.DataSample)).OfType<double>().Select(v => v != 0).Distinct().ToArray();
        return text + samples switch
        {
            [true] => ", a packaged sample of the full data set",
            [false] => ", from the full data set",
            [_, _] => ", some trials on a packaged sample and some on the full data set",
            _ => string.Empty,
        };
    }

    private static string BaselineText(Baseline baseline)
        => ReadableFormat.Number(baseline.Value)
           + (baseline.High - baseline.Low > 1e-12 * Math.Max(1, Math.Abs(baseline.Value))
               ? $" (from {ReadableFormat.Number(baseline.Low)} to {ReadableFormat.Number(baseline.High)} over the trials)"
               : string.Empty);

    /// <summary>How many configurations beat the baseline, and what happens to those that do not.</summary>
    private static string LearntSentence(SweepContext context, int configurations, int learnt)
    {
        var better = context.Minimize ? "lower" : "higher";
        return (configurations - learnt, learnt) switch
        {
            (0, _) => $"Every configuration is {better} than the baseline beyond the noise of its repeats.",
            (_, 0) => $"No configuration is {better} than the baseline beyond the noise of its repeats: nothing was learnt here, so this section makes no ranking claims (no noise comparison, Pareto front or shortlist).",
            (var notLearnt, _) => $"{notLearnt} of {configurations} configurations are not {better} than the baseline beyond the noise of their repeats (*not learnt*): they are listed but take no part in the noise comparisons, the Pareto front or the shortlist.",
        };
    }

    /// <summary>
    /// The transcript's pivot: each model over all its passed runs, ranked by score (by the objective when the goal
    /// has no score), models without the objective last.
    /// </summary>
    private static (IReadOnlyList<ModelEntry> Entries, string Uncertainty) Models(SweepContext context, IReadOnlyList<TrialRecord> passed, Baseline? baseline)
    {
        var models = passed
            .Where(t => context.ModelOf(t) is not null)
            .GroupBy(t => context.ModelOf(t)!, StringComparer.Ordinal)
            .Select((group, order) => ModelStats.Of(context, group.Key, order, group.ToArray()))
            .ToArray();

        SampleSummary? RankedBy(ModelStats m) => context.HasScore ? m.Score : m.Objective;
        double Key(SampleSummary summary) => context.HasScore || context.Minimize ? summary.Mean : -summary.Mean;

        var ranked = models
            .OrderBy(m => RankedBy(m) is null ? 1 : 0)
            .ThenBy(m => RankedBy(m) is { } r ? Key(r) : 0)
            .ThenBy(m => m.Order)
            .ToArray();
        bool Learnt(ModelStats m) => baseline?.IsBeatenBy(m.Objective) ?? true;
        var leaderModel = ranked.FirstOrDefault(Learnt);
        var leader = leaderModel is null ? null : RankedBy(leaderModel);
        var leaderRank = RankOf(ranked, leaderModel);
        var anyInterval = ranked.Any(m => RankedBy(m)?.HasInterval == true);
        var entries = ranked
            .Select((m, i) =>
            {
                var summary = RankedBy(m);
                var isLearnt = Learnt(m);
                var withinNoise = isLearnt && summary is not null && leader is not null && !ReferenceEquals(summary, leader) && summary.Overlaps(leader);
                return new ModelEntry(
                    Rank: i + 1,
                    Family: MarkdownText.Escape(m.Family ?? ReadableFormat.Missing),
                    Model: MarkdownText.Escape(m.Model),
                    Configurations: m.Configurations,
                    Runs: m.Runs,
                    Objective: m.Objective?.Mean,
                    ObjectiveStd: m.Objective?.StandardDeviation,
                    ObjectiveText: ReadableFormat.MeanAndSpread(m.Objective?.Mean, m.Objective?.StandardDeviation),
                    FitTime: m.FitTime,
                    FitTimeText: ReadableFormat.Duration(m.FitTime),
                    PeakMemory: m.PeakMemory,
                    PeakMemoryText: ReadableFormat.Memory(m.PeakMemory),
                    Score: m.Score?.Mean,
                    ScoreText: ReadableFormat.MeanAndSpread(m.Score?.Mean, m.Score?.StandardDeviation),
                    WithinNoise: withinNoise,
                    Note: !isLearnt ? NotLearntNote : withinNoise ? WithinNoiseOf(leaderRank) : NoteWithoutOverlap(summary, anyInterval),
                    Weights: m.Weights ?? ReadableFormat.Missing,
                    Learnt: isLearnt);
            })
            .ToArray();
        var uncertainty = UncertaintySentence(ranked.Where(Learnt).Select(RankedBy).OfType<SampleSummary>().ToArray(), "model", leaderRank);
        return (entries, uncertainty);
    }

    /// <summary>The link to a section's scatter plot, with a caption that says what its marks are.</summary>
    private static PlotImage? Image(SweepContext context, ReportPlot plot, IReadOnlyList<TrialRecord> passed)
    {
        if (Plots.ScatterData.Of(context, passed) is not { } data)
        {
            return null;
        }

        var objective = MarkdownText.Escape(data.Objective);
        var marks = data.Grouping switch
        {
            Plots.ScatterGrouping.Family =>
                $"One colour per model family (the catalog's family of each {MarkdownText.Escape(data.GroupedBy)}); the larger markers, joined fastest first, are each model's mean over all its passed runs; the small dots are its configurations (mean over their repeats)",
            Plots.ScatterGrouping.Parameter =>
                $"One colour and line per {MarkdownText.Escape(data.GroupedBy)}; each point is a configuration (mean over its repeats), joined fastest first",
            _ => "Each point is a configuration (mean over its repeats)",
        };
        var caption = $"Fit time (s) against {objective}. {marks}. The ring marks #1 of the leaderboard"
            + (data.ParetoFront.Count > 1 ? "; the dashed line is the Pareto front" : "")
            + (data.Baseline is not { } baseline ? "."
                : data.BaselineInView ? "; the dotted red line is the baseline."
                : $"; the baseline ({ReadableFormat.Number(baseline)}) is far from every point and not drawn.");
        var path = string.Join('/', plot.FileName.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));
        return new PlotImage(path, MarkdownText.Escape(plot.Title), caption);
    }

    private static string NoteWithoutOverlap(SampleSummary? summary, bool anyInterval)
        => summary is { HasInterval: false } && anyInterval ? NoIntervalNote : string.Empty;

    /// <summary>
    /// Says how many entries cannot be told apart from the leader: overlapping 95 % intervals of the mean mean the
    /// repeats do not support the order between them.
    /// </summary>
    internal static string UncertaintySentence(IReadOnlyList<SampleSummary> ranked, string noun = "configuration", int leaderRank = 1)
    {
        var first = $"#{leaderRank}";
        if (ranked.Count == 0)
        {
            return string.Empty;
        }
        if (ranked.Count == 1)
        {
            return $"Only one {noun} has results, so there is nothing to compare it with yet.";
        }

        var leader = ranked[0];
        if (!ranked.Any(s => s.HasInterval))
        {
            return $"Every {noun} has a single passed run, so no confidence interval is available: "
                + "differences between entries may be noise. More repeats would tell.";
        }
        if (!leader.HasInterval)
        {
            return $"{first} has a single passed run, so no confidence interval is available for it: compare it with care.";
        }

        var others = ranked.Count - 1;
        var withinNoise = ranked.Skip(1).Count(s => s.Overlaps(leader));
        var withoutInterval = ranked.Skip(1).Count(s => !s.HasInterval);
        var sentence = withinNoise switch
        {
            0 => $"No other {noun}'s 95 % confidence interval overlaps {first}'s: its lead is beyond the noise of the repeats.",
            1 when others == 1 => $"The other {noun} is statistically indistinguishable from {first} (their 95 % confidence intervals overlap), so their order is not conclusive.",
            2 when others == 2 => $"Both other {noun}s are statistically indistinguishable from {first} (their 95 % confidence intervals overlap {first}'s), so the order among them is not conclusive.",
            _ when withinNoise == others && others > 1 => $"All {others} other {noun}s are statistically indistinguishable from {first} (their 95 % confidence intervals overlap {first}'s), so the order among them is not conclusive.",
            1 => $"1 of the {others} other {noun}s is statistically indistinguishable from {first} (its 95 % confidence interval overlaps {first}'s), so their order is not conclusive.",
            _ => $"{withinNoise} of the {others} other {noun}s are statistically indistinguishable from {first} (their 95 % confidence intervals overlap {first}'s), so the order among them is not conclusive.",
        };
        return withoutInterval switch
        {
            0 => sentence,
            1 => sentence + $" 1 {noun} has a single passed run and no interval.",
            _ => sentence + $" {withoutInterval} {noun}s have a single passed run and no interval.",
        };
    }

    private static FamilySummary[] Families(IReadOnlyList<LeaderboardEntry> leaderboard)
        => leaderboard
            .GroupBy(e => e.Family, StringComparer.Ordinal)
            .Select(g =>
            {
                var best = g.First();
                return new FamilySummary(g.Key, best.Rank, best.Configuration, best.ObjectiveText, g.Count(), g.Sum(e => e.Runs));
            })
            .ToArray();

    private static ParameterEffect[] Effects(SweepContext context, IReadOnlyList<TrialRecord> passed)
    {
        var effects = new List<ParameterEffect>();
        foreach (var parameter in context.Experiment.Parameters)
        {
            if (parameter.Values.Count < 2 || ReferenceEquals(parameter, context.DatasetParameter))
            {
                continue;
            }

            var values = parameter.Values
                .Concat(passed.Select(t => t.Parameter(parameter.Name)).OfType<string>())
                .Distinct(StringComparer.Ordinal)
                .Select(value =>
                {
                    var objectives = passed
                        .Where(t => string.Equals(t.Parameter(parameter.Name), value, StringComparison.Ordinal))
                        .Select(t => context.ObjectiveOf(t))
                        .OfType<double>()
                        .ToArray();
                    return (Value: value, Mean: objectives.Length > 0 ? objectives.Average() : (double?)null, Trials: objectives.Length);
                })
                .ToArray();

            var measured = values.Where(v => v.Mean is not null).ToArray();
            var best = measured.Length < 2 ? null
                : context.Minimize ? measured.MinBy(v => v.Mean)!.Value
                : measured.MaxBy(v => v.Mean)!.Value;
            effects.Add(new ParameterEffect(
                MarkdownText.Escape(parameter.Name),
                values
                    .Select(v => new EffectValue(
                        MarkdownText.Escape(v.Value),
                        v.Mean,
                        ReadableFormat.Number(v.Mean),
                        v.Trials,
                        best is not null && string.Equals(v.Value, best, StringComparison.Ordinal)))
                    .ToArray()));
        }
        return [.. effects];
    }

    /// <summary>
    /// Configurations no other one beats on both the objective (mean) and fit time: the trade-off curve, fastest first.
    /// </summary>
    internal static IReadOnlyList<ConfigurationStats> ParetoFront(SweepContext context, IReadOnlyList<ConfigurationStats> ranked)
    {
        var candidates = ranked.Where(c => c.Objective is not null && c.FitTime is not null).ToArray();
        double Quality(ConfigurationStats c) => context.Minimize ? c.Objective!.Mean : -c.Objective!.Mean;
        bool Dominates(ConfigurationStats a, ConfigurationStats b)
            => Quality(a) <= Quality(b) && a.FitTime <= b.FitTime && (Quality(a) < Quality(b) || a.FitTime < b.FitTime);
        return candidates
            .Where(c => !candidates.Any(other => Dominates(other, c)))
            .OrderBy(c => c.FitTime)
            .ThenBy(c => Quality(c))
            .ToArray();
    }

    /// <summary>
    /// The transcript's shortlist for quick iteration: faster than the median configuration (and smaller, where
    /// memory was measured), in leaderboard order.
    /// </summary>
    private static (IReadOnlyList<ConfigurationStats> Entries, double? FitTimeMedian, double? MemoryMedian) Shortlist(IReadOnlyList<ConfigurationStats> ranked)
    {
        var candidates = ranked.Where(c => c.Objective is not null && c.FitTime is not null).ToArray();
        if (candidates.Length == 0)
        {
            return ([], null, null);
        }

        var fitMedian = Median(candidates.Select(c => c.FitTime!.Value));
        var memories = candidates.Select(c => c.PeakMemory).OfType<double>().ToArray();
        double? memoryMedian = memories.Length > 0 ? Median(memories) : null;
        var entries = candidates
            .Where(c => c.FitTime < fitMedian)
            .Where(c => memoryMedian is null || c.PeakMemory < memoryMedian)
            .ToArray();
        return (entries, fitMedian, memoryMedian);
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    internal static string ConfigurationIdOf(TrialRecord trial)
    {
        var hash = trial.TrialId.LastIndexOf('#');
        return hash >= 0 ? trial.TrialId[..hash] : trial.TrialId;
    }

    internal static double? MetricOf(TrialRecord trial, string name)
        => trial.Metrics.TryGetValue(name, out var value) && double.IsFinite(value) ? value : null;

    private static string? MostCommon(IEnumerable<string?> values)
        => values
            .Where(v => !string.IsNullOrEmpty(v))
            .GroupBy(v => v!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .FirstOrDefault();
}
