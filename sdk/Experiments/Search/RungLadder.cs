// Shared source: compiled into the Experiments library (public) and into the source generator (internal,
// netstandard2.0), so the build and the runner lay out the same rungs. Keep it to netstandard2.0 APIs.
namespace Experiments;

/// <summary>
/// The budgets of successive halving's rungs: <c>min</c>, <c>min·η</c>, <c>min·η²</c>, … while below <c>max</c>, and
/// <c>max</c> itself as the top rung (so 1…9 by 3 is 1, 3, 9 and 1…10 by 3 is 1, 3, 10: the top rung is always the
/// declared maximum, the budget a grid would give every configuration). Pure arithmetic, compiled into the generator
/// too, so the build and the runner agree on the rungs.
/// </summary>
#if EXPERIMENTS_GENERATOR
internal static class RungLadder
#else
public static class RungLadder
#endif
{
    /// <summary>The rung budgets, ascending; empty when the arguments admit none (min &lt; 1, max &lt; min, η &lt; 2).</summary>
    public static int[] Budgets(int min, int max, int reductionFactor)
    {
        if (min < 1 || max < min || reductionFactor < 2)
        {
            return [];
        }
        var budgets = new System.Collections.Generic.List<int>();
        long budget = min;
        // Rungs below the top one: each η times the last, while η times it still fits under max.
        while (budget * reductionFactor <= max)
        {
            budgets.Add((int)budget);
            budget *= reductionFactor;
        }
        budgets.Add(max);
        return budgets.ToArray();
    }

    /// <summary>True when <c>max</c> is <c>min·η^k</c>, so every rung is exactly η times the one below.</summary>
    public static bool IsGeometric(int min, int max, int reductionFactor)
    {
        var budgets = Budgets(min, max, reductionFactor);
        return budgets.Length > 0 && (budgets.Length == 1 || (long)budgets[budgets.Length - 2] * reductionFactor == max);
    }
}
