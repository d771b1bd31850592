using Experiments.Results;

namespace Experiments.Reports.Analysis;

/// <summary>
/// What a report reads from an experiment beyond its objective — the one place these conventions live. Any trial can
/// follow them; the vision library's trials do:
/// <list type="bullet">
/// <item>A parameter named <c>Dataset</c> (any case) splits the report into one section per value.</item>
/// <item>The first parameter whose known-set metadata has a <c>family</c> key (the model catalog's architectures) is the
/// model: the report groups by family and model, and colours the scatter plot by family.</item>
/// <item>Metrics: <c>fit_time</c> (else the runner's wall time) for speed and the score, <c>fit_budget</c> (the
/// section's budget line), <c>peak_memory</c>,
/// <c>pretrained</c> (1/0, the models' <em>Weights</em> column), <c>baseline_{objective}</c> (the trivial baseline),
/// <c>train_images</c>, <c>valid_images</c> and <c>data_sample</c> (the section's data line); see
/// <see cref="MetricNames"/>; in an adaptive search, <c>budget_spent</c> (the search section's budget).</item>
/// </list>
/// A trial that reports none of them still gets a leaderboard, effects and a scatter plot.
/// </summary>
internal static class ReportConventions
{
    /// <summary>The parameter whose values split the report into sections (compared case-insensitively).</summary>
    public const string DatasetParameter = "Dataset";

    /// <summary>
    /// The final metric with the budget a trial of an adaptive search actually used (a trial that continued from the rung
    /// below reports only what it added); without it, its rung's budget counts.
    /// </summary>
    public const string BudgetSpentMetric = "budget_spent";

    /// <summary>The known-set metadata key that names a value's model family.</summary>
    public const string FamilyKey = "family";

    /// <summary>A finite metric value, or null when the trial did not report it (or reported NaN / infinity).</summary>
    public static double? MetricOf(TrialRecord trial, string name)
        => trial.Metrics.TryGetValue(name, out var value) && double.IsFinite(value) ? value : null;

    /// <summary>Fit time as the trial reported it, else the wall time the runner recorded.</summary>
    public static double? FitTimeOf(TrialRecord trial)
        => MetricOf(trial, MetricNames.FitTime)
           ?? (trial.DurationSeconds is { } d && double.IsFinite(d) ? d : null);

    public static double? PeakMemoryOf(TrialRecord trial) => MetricOf(trial, MetricNames.PeakMemory);

    /// <summary>Whether the trial started from pretrained weights (the <c>pretrained</c> metric); null when it does not say.</summary>
    public static bool? PretrainedOf(TrialRecord trial) => MetricOf(trial, MetricNames.Pretrained) is { } flag ? flag != 0 : null;

    /// <summary>The trial's trivial baseline of <paramref name="objective"/> (<c>baseline_{objective}</c>).</summary>
    public static double? BaselineOf(TrialRecord trial, string objective) => MetricOf(trial, MetricNames.BaselineOf(objective));
}
