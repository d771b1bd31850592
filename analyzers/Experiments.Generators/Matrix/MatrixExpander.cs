using System.Collections.Generic;
using Experiments.Generators.Model;

namespace Experiments.Generators.Matrix;

/// <summary>
/// Counts the combinations the rules leave, by walking the cartesian product in the same order the emitted code
/// does. Products beyond <see cref="MaxEnumerated"/> are not walked: they are reported as over budget.
/// </summary>
internal static class MatrixExpander
{
    public const long MaxEnumerated = 20_000_000;

    public static long Product(IReadOnlyList<ParameterModel> parameters)
    {
        long product = 1;
        foreach (var parameter in parameters)
        {
            product *= parameter.Displays.Count;
            if (product > long.MaxValue / 1024)
            {
                return long.MaxValue / 1024;
            }
        }
        return product;
    }

    /// <summary>Combinations removed by the rules (the product must be at most <see cref="MaxEnumerated"/>).</summary>
    public static long CountRemoved(IReadOnlyList<ParameterModel> parameters, IReadOnlyList<PairRule> rules)
    {
        if (rules.Count == 0)
        {
            return 0;
        }
        // Per rule, a lookup of excluded value indices for each side.
        var tables = new List<(int First, bool[] FirstSet, int Second, bool[] SecondSet)>();
        foreach (var rule in rules)
        {
            tables.Add((rule.First, ToSet(rule.FirstValues, parameters[rule.First].Displays.Count),
                        rule.Second, ToSet(rule.SecondValues, parameters[rule.Second].Displays.Count)));
        }

        var counts = new int[parameters.Count];
        for (var p = 0; p < counts.Length; p++)
        {
            counts[p] = parameters[p].Displays.Count;
        }
        var index = new int[counts.Length];
        long removed = 0;
        while (true)
        {
            foreach (var (first, firstSet, second, secondSet) in tables)
            {
                if (firstSet[index[first]] && secondSet[index[second]])
                {
                    removed++;
                    break;
                }
            }
            // Odometer increment, last parameter fastest (as the emitted nested loops).
            var p = counts.Length - 1;
            while (p >= 0 && ++index[p] == counts[p])
            {
                index[p] = 0;
                p--;
            }
            if (p < 0)
            {
                return removed;
            }
        }
    }

    private static bool[] ToSet(EquatableArray<int> indices, int count)
    {
        var set = new bool[count];
        foreach (var i in indices)
        {
            set[i] = true;
        }
        return set;
    }
}
