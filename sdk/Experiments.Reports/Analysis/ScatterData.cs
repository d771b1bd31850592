using Experiments.Reports.Formatting;
using Experiments.Results;

namespace Experiments.Reports.Analysis;

/// <summary>How the points of a scatter plot are coloured.</summary>
internal enum ScatterGrouping
{
    /// <summary>One series per model family (known-set <c>family</c> metadata); the line joins each model's mean.</summary>
    Family,

    /// <summary>One series per value of the first string parameter; the line joins its configurations.</summary>
    Parameter,

    /// <summary>One series of configurations, no line.</summary>
    None,
}

/// <summary>One point: a mean fit time (seconds) and a mean objective.</summary>
internal sealed record ScatterPoint(double FitTime, double Objective, string Label);

/// <summary>
/// One colour of the plot: the points its line joins (sorted by fit time) and, when those are per-model means, the
/// configurations behind them.
/// </summary>
/// <param name="Name">The family, parameter value or "configurations".</param>
/// <param name="Key">Its place in the declaration (the catalog's family order, the parameter's value order), so the same
/// family gets the same colour in every section.</param>
/// <param name="Line">The points the series' line joins, fastest first.</param>
/// <param name="Configurations">Configuration means drawn as small unjoined dots (when the line joins model means, or there is no line).</param>
internal sealed record ScatterSeries(string Name, int Key, IReadOnlyList<ScatterPoint> Line, IReadOnlyList<ScatterPoint> Configurations);

/// <summary>What the fit time vs objective plot of one section shows: raw values (nothing is escaped), in a stable order.</summary>
internal sealed record ScatterData(
    ScatterGrouping Grouping,
    string? GroupedBy,
    string Objective,
    bool Minimize,
    IReadOnlyList<ScatterSeries> Series,
    ScatterPoint Best,
    IReadOnlyList<ScatterPoint> ParetoFront)
{
    /// <summary>The trivial baseline of the objective (a horizontal line), when the trials report one.</summary>
    public double? Baseline { get; init; }

    /// <summary>
    /// Whether the baseline is close enough to the points to draw: within one span of their objective values. A far
    /// baseline (0.90 chance error above points at 0.2–0.3) would squeeze every point into a corner of the plot.
    /// </summary>
    public bool BaselineInView
    {
        get
        {
            if (Baseline is not { } baseline)
            {
                return false;
            }
            var values = Series.SelectMany(s => s.Line.Concat(s.Configurations)).Select(p => p.Objective).Append(Best.Objective).ToArray();
            var (low, high) = (values.Min(), values.Max());
            var span = Math.Max(high - low, 0.05 * Math.Max(Math.Abs(high), Math.Abs(low)));
            return baseline >= low - span && baseline <= high + span;
        }
    }

    /// <summary>The plot of one section; null when no configuration has both the objective and a fit time.</summary>
    public static ScatterData? Of(SweepContext context, SectionAnalysis section)
    {
        var configurations = section.Configurations.Where(c => c.Objective is not null && c.FitTime is not null).ToArray();
        if (configurations.Length == 0)
        {
            return null;
        }

        static ScatterPoint PointOf(ConfigurationStats c) => new(c.FitTime!.Value, c.Objective!.Mean, c.Label);
        var best = section.Ranked.First(c => c.Objective is not null && c.FitTime is not null);
        // The front is drawn through learnt configurations only (those that beat the trivial baseline, where there is one).
        var pareto = section.ParetoFront.Select(PointOf).ToArray();
        var baseline = section.Baseline?.Value;

        if (context.FamilyParameter is { } familyParameter)
        {
            var families = familyParameter.Values
                .Select(v => familyParameter.MetadataOf(v).GetValueOrDefault(ReportConventions.FamilyKey))
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .ToList();
            var series = configurations
                .GroupBy(c => c.Family ?? ReadableFormat.Missing, StringComparer.Ordinal)
                .Select(g => (Group: g, Key: KeyOf(families, g.Key)))
                .OrderBy(x => x.Key)
                .ThenBy(x => x.Group.Key, StringComparer.Ordinal)
                .Select((x, i) => (Group: x.Group, Key: x.Key == int.MaxValue ? families.Count + i : x.Key))
                .Select(x => new ScatterSeries(
                    x.Group.Key,
                    x.Key,
                    ModelMeans(section, x.Group.Select(c => c.Model).OfType<string>().ToHashSet(StringComparer.Ordinal)),
                    x.Group.Select(PointOf).OrderBy(p => p.FitTime).ToArray()))
                .ToArray();
            return new ScatterData(ScatterGrouping.Family, familyParameter.Name, context.Experiment.Objective, context.Minimize, series, PointOf(best), pareto) { Baseline = baseline };
        }

        if (FirstStringParameter(context) is { } parameter)
        {
            var series = configurations
                .GroupBy(c => c.First.Parameter(parameter.Name) ?? ReadableFormat.Missing, StringComparer.Ordinal)
                .Select(g => (Group: g, Key: KeyOf(parameter.Values, g.Key)))
                .OrderBy(x => x.Key)
                .ThenBy(x => x.Group.Key, StringComparer.Ordinal)
                .Select((x, i) => new ScatterSeries(
                    x.Group.Key,
                    x.Key == int.MaxValue ? parameter.Values.Count + i : x.Key,
                    x.Group.Select(PointOf).OrderBy(p => p.FitTime).ToArray(),
                    []))
                .ToArray();
            return new ScatterData(ScatterGrouping.Parameter, parameter.Name, context.Experiment.Objective, context.Minimize, series, PointOf(best), pareto) { Baseline = baseline };
        }

        return new ScatterData(
            ScatterGrouping.None,
            null,
            context.Experiment.Objective,
            context.Minimize,
            [new ScatterSeries("configurations", 0, [], configurations.Select(PointOf).OrderBy(p => p.FitTime).ToArray())],
            PointOf(best),
            pareto) { Baseline = baseline };
    }

    /// <summary>Each model's mean objective and fit time over all its passed runs (the section's model statistics), fastest first.</summary>
    private static ScatterPoint[] ModelMeans(SectionAnalysis section, HashSet<string> models)
        => section.Models
            .Where(m => models.Contains(m.Model) && m.Stats.Objective is not null && m.Stats.FitTime is not null)
            .Select(m => new ScatterPoint(m.Stats.FitTime!.Value, m.Stats.Objective!.Mean, m.Model))
            .OrderBy(p => p.FitTime)
            .ThenBy(p => p.Label, StringComparer.Ordinal)
            .ToArray();

    /// <summary>The first string parameter other than the dataset: what tells the trials apart most plainly (a model name, say).</summary>
    private static ParameterDefinition? FirstStringParameter(SweepContext context)
        => context.Experiment.Parameters.FirstOrDefault(p =>
            !ReferenceEquals(p, context.DatasetParameter)
            && p.TypeName is "string" or "System.String" or "String");

    /// <summary>Where <paramref name="value"/> is declared; <see cref="int.MaxValue"/> for a value only the store knows.</summary>
    private static int KeyOf(IReadOnlyList<string> declared, string value)
    {
        for (var i = 0; i < declared.Count; i++)
        {
            if (string.Equals(declared[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return int.MaxValue;
    }
}
