using System.Globalization;
using Experiments.Results;

namespace Experiments.Reports.Analysis;

/// <summary>
/// Which stored grid an adaptive search's report compares its winner with. A grid matches when it is not adaptive, has
/// the same objective and goal, and declares the same parameters by name, each with the same values — except the
/// budget parameter, which the grid fixes at the search's top rung (its one value is the maximum budget). So the grid
/// trained every configuration the search started, each on the full budget.
/// </summary>
public static class GridMatch
{
    /// <summary>Whether <paramref name="candidate"/> is a grid that <paramref name="adaptive"/>'s report compares with.</summary>
    public static bool Matches(ExperimentInfo adaptive, ExperimentInfo candidate)
    {
        ArgumentNullException.ThrowIfNull(adaptive);
        ArgumentNullException.ThrowIfNull(candidate);
        var search = adaptive.SearchOrGrid;
        if (!search.IsAdaptive || search.BudgetParameter is not { } budget || candidate.SearchOrGrid.IsAdaptive
            || string.Equals(adaptive.Name, candidate.Name, StringComparison.Ordinal)
            || !string.Equals(adaptive.Objective, candidate.Objective, StringComparison.Ordinal)
            || adaptive.Goal != candidate.Goal
            || adaptive.Parameters.Count != candidate.Parameters.Count)
        {
            return false;
        }
        var maxBudget = search.MaxBudget.ToString(CultureInfo.InvariantCulture);
        foreach (var parameter in adaptive.Parameters)
        {
            var other = candidate.Parameters.FirstOrDefault(p => string.Equals(p.Name, parameter.Name, StringComparison.Ordinal));
            if (other is null)
            {
                return false;
            }
            var same = string.Equals(parameter.Name, budget, StringComparison.Ordinal)
                ? other.Values is [var only] && string.Equals(only, maxBudget, StringComparison.Ordinal)
                : other.Values.ToHashSet(StringComparer.Ordinal).SetEquals(parameter.Values);
            if (!same)
            {
                return false;
            }
        }
        return true;
    }
}
