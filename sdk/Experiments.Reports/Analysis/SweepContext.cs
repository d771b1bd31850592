using Experiments.Reports.Statistics;
using Experiments.Results;

namespace Experiments.Reports.Analysis;

/// <summary>What a report derives once from the declaration: the dataset and model parameters, the goal (see <see cref="ReportConventions"/>).</summary>
internal sealed class SweepContext
{
    private readonly Dictionary<string, ParameterDefinition> _parameters;

    public SweepContext(ExperimentInfo experiment)
    {
        Experiment = experiment;
        _parameters = experiment.Parameters
            .GroupBy(p => p.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        DatasetParameter = experiment.Parameters.FirstOrDefault(
            p => string.Equals(p.Name, ReportConventions.DatasetParameter, StringComparison.OrdinalIgnoreCase));
        FamilyParameter = experiment.Parameters.FirstOrDefault(
            p => p.ValueMetadata is { } metadata && metadata.Any(m => m.ContainsKey(ReportConventions.FamilyKey)));
    }

    public ExperimentInfo Experiment { get; }

    /// <summary>The parameter named <c>Dataset</c> (any case): the report is split per value.</summary>
    public ParameterDefinition? DatasetParameter { get; }

    /// <summary>The first parameter whose known-set metadata names a <c>family</c> (the model catalog's architecture).</summary>
    public ParameterDefinition? FamilyParameter { get; }

    public bool Minimize => Experiment.Goal == Goal.Minimize;

    /// <summary>How the experiment searched its matrix (a grid unless it declared an adaptive search).</summary>
    public SearchSettings Search => Experiment.SearchOrGrid;

    /// <summary>The trial's rung in an adaptive search (from 0); -1 in a grid.</summary>
    public int RungOf(TrialRecord trial)
        => Search.BudgetParameter is { } budget ? SuccessiveHalving.RungOf(Search, trial.Parameter(budget)) : -1;

    /// <summary>The score (objective × (fit time + constant)) trades error against speed: for minimised objectives only.</summary>
    public bool HasScore => Minimize;

    public double? ObjectiveOf(TrialRecord trial) => ReportConventions.MetricOf(trial, Experiment.Objective);

    /// <summary>Lower is better after this: the objective's mean, negated when it is maximised.</summary>
    public double Quality(SampleSummary objective) => Minimize ? objective.Mean : -objective.Mean;

    public string? FamilyOf(TrialRecord trial)
        => FamilyParameter is { } parameter && trial.Parameter(parameter.Name) is { } value
            && parameter.MetadataOf(value).TryGetValue(ReportConventions.FamilyKey, out var family)
            ? family
            : null;

    public string? ModelOf(TrialRecord trial)
        => FamilyParameter is { } parameter ? trial.Parameter(parameter.Name) : null;

    /// <summary>The id without its repeat suffix.</summary>
    public static string ConfigurationIdOf(TrialRecord trial) => TrialId.ConfigurationIdOf(trial.TrialId);

    /// <summary>
    /// The trial's parameters as its id writes them (<c>resnet18/lr=0.008</c>), without the dataset when the report is
    /// split by dataset.
    /// </summary>
    public string LabelOf(TrialRecord trial) => LabelWithout(trial, DatasetParameter?.Name);

    /// <summary>The trial's parameters as its id writes them, without <paramref name="parameter"/> (when given).</summary>
    public string LabelWithout(TrialRecord trial, string? parameter)
    {
        var parts = trial.Parameters
            .Where(p => parameter is null || !string.Equals(p.Key, parameter, StringComparison.Ordinal))
            .Select(p => _parameters.TryGetValue(p.Key, out var definition)
                ? (definition.Key, p.Value, definition.BareInId)
                : (p.Key, p.Value, false))
            .ToArray();
        return parts.Length > 0 ? TrialId.Label(parts) : ConfigurationIdOf(trial);
    }
}
