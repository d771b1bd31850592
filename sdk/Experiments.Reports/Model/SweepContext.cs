using Experiments.Results;

namespace Experiments.Reports.Model;

/// <summary>What the builder derives once from the declaration: the dataset and family parameters, the goal.</summary>
internal sealed class SweepContext
{
    private readonly Dictionary<string, ParameterDefinition> _parameters;

    public SweepContext(ExperimentInfo experiment)
    {
        Experiment = experiment;
        _parameters = experiment.Parameters
            .GroupBy(p => p.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        DatasetParameter = experiment.Parameters.FirstOrDefault(p => string.Equals(p.Name, "Dataset", StringComparison.OrdinalIgnoreCase));
        FamilyParameter = experiment.Parameters.FirstOrDefault(
            p => p.ValueMetadata is { } metadata && metadata.Any(m => m.ContainsKey(ReportModelBuilder.FamilyKey)));
    }

    public ExperimentInfo Experiment { get; }

    /// <summary>The parameter named <c>Dataset</c> (any case): the report is split per value.</summary>
    public ParameterDefinition? DatasetParameter { get; }

    /// <summary>The first parameter whose known-set metadata names a <c>family</c> (the model catalog's architecture).</summary>
    public ParameterDefinition? FamilyParameter { get; }

    public bool Minimize => Experiment.Goal == Goal.Minimize;

    /// <summary>The transcript's score (objective × (fit time + constant)) trades error against speed: for minimised objectives only.</summary>
    public bool HasScore => Minimize;

    public double? ObjectiveOf(TrialRecord trial) => ReportModelBuilder.MetricOf(trial, Experiment.Objective);

    /// <summary>Fit time as the trial reported it, else the wall time the runner recorded.</summary>
    public static double? FitTimeOf(TrialRecord trial)
        => ReportModelBuilder.MetricOf(trial, MetricNames.FitTime)
           ?? (trial.DurationSeconds is { } d && double.IsFinite(d) ? d : null);

    public string? FamilyOf(TrialRecord trial)
        => FamilyParameter is { } parameter && trial.Parameter(parameter.Name) is { } value
            && parameter.MetadataOf(value).TryGetValue(ReportModelBuilder.FamilyKey, out var family)
            ? family
            : null;

    public string? ModelOf(TrialRecord trial)
        => FamilyParameter is { } parameter ? trial.Parameter(parameter.Name) : null;

    /// <summary>
    /// The trial's parameters as its id writes them (<c>resnet18/lr=0.008</c>), without the dataset when the report is
    /// split by dataset.
    /// </summary>
    public string LabelOf(TrialRecord trial)
    {
        var parts = trial.Parameters
            .Where(p => DatasetParameter is null || !string.Equals(p.Key, DatasetParameter.Name, StringComparison.Ordinal))
            .Select(p => _parameters.TryGetValue(p.Key, out var definition) && definition.BareInId
                ? p.Value
                : (definition?.Key ?? p.Key) + "=" + p.Value)
            .ToArray();
        return parts.Length > 0 ? string.Join('/', parts) : ReportModelBuilder.ConfigurationIdOf(trial);
    }
}
