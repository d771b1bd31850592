using Experiments.Reports.Statistics;
using Experiments.Results;

namespace Experiments.Reports.Analysis;

/// <summary>
/// Everything the report claims about one data set (or the whole experiment without a dataset parameter), computed
/// once from the passed trials: configuration and model statistics and rankings, the baseline and what beats it, the
/// Pareto front, the shortlist, parameter effects and the scatter plot's data. Raw values only: the Markdown view
/// (<see cref="Markdown.ReportModelBuilder"/>) and the plot renderer (<see cref="Plots.ScatterRenderer"/>) format them.
/// </summary>
internal sealed class SectionAnalysis
{
    private SectionAnalysis(SweepContext context, string? dataset, IReadOnlyList<TrialRecord> sectionPassed)
    {
        Context = context;
        Dataset = dataset;
        // An adaptive search trains configurations on different budgets: only those at one rung are comparable.
        (Rung, var passed) = AtHighestRung(context, sectionPassed);
        Passed = passed;
        Configurations = passed
            .GroupBy(SweepContext.ConfigurationIdOf, StringComparer.Ordinal)
            .Select((group, order) =>
            {
                var repeats = group.ToArray();
                var first = repeats[0];
                return new ConfigurationStats(group.Key, order, context.LabelOf(first), context.FamilyOf(first), context.ModelOf(first), first, RunStats.Of(context, repeats));
            })
            .ToArray();

        // Ranked by the objective; configurations without it (it was never reported) come last, in matrix order.
        Ranked = Configurations
            .OrderBy(c => c.Objective is null ? 1 : 0)
            .ThenBy(c => c.Objective is { } o ? context.Quality(o) : 0)
            .ThenBy(c => c.Order)
            .ToArray();
        Baseline = Baseline.Of(context, passed);
        // Only configurations that beat the trivial baseline take part in claims (noise, Pareto front, shortlist).
        Learnt = Ranked.Where(IsLearnt).ToArray();
        ByScore = Ranked
            .Where(c => c.Score is not null)
            .OrderBy(c => c.Score!.Mean)
            .ThenBy(c => c.Order)
            .ToArray();
        Models = context.FamilyParameter is null ? [] : RankModels(context, passed);
        ParetoFront = ParetoFrontOf(context, Learnt);
        Shortlist = ShortlistOf(Learnt);
        Effects = EffectsOf(context, passed);
        Scatter = ScatterData.Of(context, this);
    }

    public SweepContext Context { get; }

    /// <summary>The data set (raw, unescaped); null for the section of an experiment without a dataset parameter.</summary>
    public string? Dataset { get; }

    /// <summary>
    /// The passed trials the section compares: all of them in a grid; in an adaptive search, those at <see cref="Rung"/>.
    /// </summary>
    public IReadOnlyList<TrialRecord> Passed { get; }

    /// <summary>
    /// In an adaptive search, the highest rung with passed trials in this section, which its tables compare (so a
    /// configuration trained on the full budget is never ranked against one stopped after a fraction of it); null in a
    /// grid, or while no trial has passed.
    /// </summary>
    public int? Rung { get; }

    /// <summary>Configurations in the order the store lists their first repeat (matrix order).</summary>
    public IReadOnlyList<ConfigurationStats> Configurations { get; }

    /// <summary>Configurations by mean objective, best first; those without the objective last.</summary>
    public IReadOnlyList<ConfigurationStats> Ranked { get; }

    public Baseline? Baseline { get; }

    /// <summary><see cref="Ranked"/> without the configurations that do not beat the baseline beyond noise.</summary>
    public IReadOnlyList<ConfigurationStats> Learnt { get; }

    /// <summary>Configurations with a score, by mean score (lower is better).</summary>
    public IReadOnlyList<ConfigurationStats> ByScore { get; }

    /// <summary>Models ranked by mean score (by the objective when the goal has no score); empty without a family parameter.</summary>
    public IReadOnlyList<ModelStats> Models { get; }

    /// <summary>Learnt configurations no other one beats on both the objective and fit time, fastest first.</summary>
    public IReadOnlyList<ConfigurationStats> ParetoFront { get; }

    public Shortlist Shortlist { get; }

    /// <summary>The mean objective per value of each swept parameter with two values or more, the dataset excepted.</summary>
    public IReadOnlyList<ParameterEffectStats> Effects { get; }

    /// <summary>The fit time vs objective plot; null when no configuration has both.</summary>
    public ScatterData? Scatter { get; }

    /// <summary>The sections of an experiment's report: one per dataset, or one for all.</summary>
    public static IReadOnlyList<SectionAnalysis> Of(SweepContext context, IReadOnlyList<TrialRecord> trials)
    {
        var passed = trials.Where(t => t.Status == TrialStatus.Passed).ToArray();
        return context.DatasetParameter is { } datasetParameter
            ? DatasetValues(datasetParameter, trials)
                .Select(value => new SectionAnalysis(context, value,
                    passed.Where(t => string.Equals(t.Parameter(datasetParameter.Name) ?? string.Empty, value, StringComparison.Ordinal)).ToArray()))
                .ToArray()
            : [new SectionAnalysis(context, null, passed)];
    }

    private static (int? Rung, IReadOnlyList<TrialRecord> Passed) AtHighestRung(SweepContext context, IReadOnlyList<TrialRecord> passed)
    {
        if (!context.Search.IsAdaptive || passed.Count == 0)
        {
            return (null, passed);
        }
        var rung = passed.Max(context.RungOf);
        return (rung, passed.Where(t => context.RungOf(t) == rung).ToArray());
    }

    /// <summary>Whether the configuration beats the baseline beyond noise (always, without a baseline).</summary>
    public bool IsLearnt(ConfigurationStats configuration) => Baseline?.IsBeatenBy(configuration.Objective) ?? true;

    /// <summary>Whether the model beats the baseline beyond noise over all its runs (always, without a baseline).</summary>
    public bool IsLearnt(ModelStats model) => Baseline?.IsBeatenBy(model.Objective) ?? true;

    /// <summary>What models are ranked by: the score, or the objective when the goal has no score.</summary>
    public SampleSummary? RankingOf(ModelStats model) => Context.HasScore ? model.Stats.Score : model.Stats.Objective;

    /// <summary>Declared dataset values first, then any value only the stored trials know (a renamed dataset).</summary>
    private static IEnumerable<string> DatasetValues(ParameterDefinition dataset, IReadOnlyList<TrialRecord> trials)
        => dataset.Values
            .Concat(trials.Select(t => t.Parameter(dataset.Name) ?? string.Empty))
            .Distinct(StringComparer.Ordinal);

    private static ModelStats[] RankModels(SweepContext context, IReadOnlyList<TrialRecord> passed)
    {
        var models = passed
            .Where(t => context.ModelOf(t) is not null)
            .GroupBy(t => context.ModelOf(t)!, StringComparer.Ordinal)
            .Select((group, order) => new ModelStats(group.Key, context.FamilyOf(group.First()), order, RunStats.Of(context, group.ToArray())))
            .ToArray();
        SampleSummary? RankedBy(ModelStats m) => context.HasScore ? m.Stats.Score : m.Stats.Objective;
        double Key(SampleSummary summary) => context.HasScore ? summary.Mean : context.Quality(summary);
        return models
            .OrderBy(m => RankedBy(m) is null ? 1 : 0)
            .ThenBy(m => RankedBy(m) is { } r ? Key(r) : 0)
            .ThenBy(m => m.Order)
            .ToArray();
    }

    private static ConfigurationStats[] ParetoFrontOf(SweepContext context, IReadOnlyList<ConfigurationStats> learnt)
    {
        var candidates = learnt.Where(c => c.Objective is not null && c.FitTime is not null).ToArray();
        double Quality(ConfigurationStats c) => context.Quality(c.Objective!);
        bool Dominates(ConfigurationStats a, ConfigurationStats b)
            => Quality(a) <= Quality(b) && a.FitTime <= b.FitTime && (Quality(a) < Quality(b) || a.FitTime < b.FitTime);
        return candidates
            .Where(c => !candidates.Any(other => Dominates(other, c)))
            .OrderBy(c => c.FitTime)
            .ThenBy(Quality)
            .ToArray();
    }

    /// <summary>
    /// The shortlist for quick iteration: faster than the median configuration (and smaller, where memory was
    /// measured), in leaderboard order.
    /// </summary>
    private static Shortlist ShortlistOf(IReadOnlyList<ConfigurationStats> learnt)
    {
        var candidates = learnt.Where(c => c.Objective is not null && c.FitTime is not null).ToArray();
        if (candidates.Length == 0)
        {
            return new Shortlist([], null, null);
        }

        var fitMedian = Median(candidates.Select(c => c.FitTime!.Value));
        var memories = candidates.Select(c => c.PeakMemory).OfType<double>().ToArray();
        double? memoryMedian = memories.Length > 0 ? Median(memories) : null;
        var entries = candidates
            .Where(c => c.FitTime < fitMedian)
            .Where(c => memoryMedian is null || c.PeakMemory < memoryMedian)
            .ToArray();
        return new Shortlist(entries, fitMedian, memoryMedian);
    }

    private static ParameterEffectStats[] EffectsOf(SweepContext context, IReadOnlyList<TrialRecord> passed)
    {
        var effects = new List<ParameterEffectStats>();
        foreach (var parameter in context.Experiment.Parameters)
        {
            // An adaptive search's budget parameter has one value at the compared rung: nothing to compare.
            if (parameter.Values.Count < 2 || ReferenceEquals(parameter, context.DatasetParameter)
                || string.Equals(parameter.Name, context.Search.BudgetParameter, StringComparison.Ordinal))
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
                        .Select(context.ObjectiveOf)
                        .OfType<double>()
                        .ToArray();
                    return new EffectMean(value, objectives.Length > 0 ? objectives.Average() : null, objectives.Length);
                })
                .ToArray();

            var measured = values.Where(v => v.Mean is not null).ToArray();
            var best = measured.Length < 2 ? null
                : context.Minimize ? measured.MinBy(v => v.Mean)!.Value
                : measured.MaxBy(v => v.Mean)!.Value;
            effects.Add(new ParameterEffectStats(parameter.Name, values, best));
        }
        return [.. effects];
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

/// <summary>Learnt configurations faster (and smaller) than the median, with the medians; empty medians when nothing has a fit time.</summary>
internal sealed record Shortlist(IReadOnlyList<ConfigurationStats> Entries, double? FitTimeMedian, double? MemoryMedian);

/// <summary>The mean objective for each value of one swept parameter; <see cref="Best"/> is the best value when two or more were measured.</summary>
internal sealed record ParameterEffectStats(string Name, IReadOnlyList<EffectMean> Values, string? Best);

/// <summary>One value of a parameter: mean objective over the passed trials that used it.</summary>
internal sealed record EffectMean(string Value, double? Mean, int Trials);
