using Experiments.Runner.Filtering;

namespace Experiments.Runner.Cli;

/// <summary>Resolves <c>--experiment</c> and <c>--filter</c> against the project's experiments.</summary>
internal static class ExperimentSelection
{
    public static IReadOnlyList<ExperimentDefinition> Select(IReadOnlyList<ExperimentDefinition> experiments, string? name)
    {
        if (experiments.Count == 0)
        {
            throw new CliException("This project declares no experiment (a partial class with [Experiment]).");
        }
        if (string.IsNullOrWhiteSpace(name))
        {
            return experiments;
        }
        var match = experiments.Where(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (match.Length == 0)
        {
            throw new CliException($"Unknown experiment '{name}'. Experiments: {string.Join(", ", experiments.Select(e => e.Name))}.");
        }
        return match;
    }

    /// <summary>
    /// The filter of each experiment. A parameter unknown to some experiments just leaves them out; unknown to every
    /// selected experiment, it is the user's mistake and the error lists the parameters.
    /// </summary>
    public static IReadOnlyList<(ExperimentDefinition Experiment, TrialFilter Filter)> Filters(
        IReadOnlyList<ExperimentDefinition> experiments, string? filter)
    {
        var selected = new List<(ExperimentDefinition, TrialFilter)>();
        var errors = new List<string>();
        foreach (var experiment in experiments)
        {
            try
            {
                selected.Add((experiment, TrialFilter.Parse(filter, experiment.Parameters)));
            }
            catch (FilterException e)
            {
                errors.Add(experiments.Count == 1 ? e.Message : $"{experiment.Name}: {e.Message}");
            }
        }
        if (selected.Count == 0)
        {
            throw new CliException(string.Join(Environment.NewLine, errors));
        }
        if (!string.IsNullOrWhiteSpace(filter))
        {
            CheckValues(selected, filter, Console.Error);
        }
        return selected;
    }

    /// <summary>
    /// Warns (on <paramref name="error"/>) about each filter value that no trial has — of another type than its
    /// parameter, or not among its values — and stops with a usage error when the filter therefore selects nothing.
    /// Checked against the declared values, without enumerating the matrix.
    /// </summary>
    internal static void CheckValues(IReadOnlyList<(ExperimentDefinition Experiment, TrialFilter Filter)> selected, string filter, TextWriter error)
    {
        var selectsNothing = true;
        foreach (var (experiment, trialFilter) in selected)
        {
            var check = FilterValues.Check(trialFilter, experiment.Parameters);
            foreach (var warning in check.Warnings)
            {
                error.WriteLine(selected.Count == 1 ? $"warning: --filter: {warning}" : $"warning: --filter, {experiment.Name}: {warning}");
            }
            selectsNothing &= check.SelectsNothing;
        }
        error.Flush();
        if (selectsNothing)
        {
            throw new CliException($"--filter '{filter.Trim()}' selects no trial: no trial has the value(s) warned about above.");
        }
    }
}
