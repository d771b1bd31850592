using System.Collections.Generic;
using System.Linq;
using Experiments.Generators.Model;

namespace Experiments.Generators.Matrix;

/// <summary>
/// Counts the combinations the rules remove without enumerating the matrix: by walking only the parameters some
/// rule names (every other parameter multiplies the count) while that walk is at most <see cref="MaxEnumerated"/>,
/// else by inclusion–exclusion over the rules while there are at most <see cref="MaxInclusionExclusionRules"/>.
/// </summary>
internal static class MatrixExpander
{
    public const long MaxEnumerated = 20_000_000;

    /// <summary>Inclusion–exclusion visits 2^rules subsets.</summary>
    public const int MaxInclusionExclusionRules = 16;

    /// <summary>Where products stop growing: far beyond any budget (an int), short of overflowing.</summary>
    public const long Saturated = long.MaxValue / 4;

    public static long Product(IReadOnlyList<ParameterModel> parameters)
        => Product(parameters.Select(p => (long)p.Displays.Count));

    /// <summary>Product of <paramref name="factors"/>, saturating at <see cref="Saturated"/>.</summary>
    public static long Product(IEnumerable<long> factors)
    {
        long product = 1;
        foreach (var factor in factors)
        {
            product = Multiply(product, factor);
        }
        return product;
    }

    public static long Multiply(long a, long b)
        => a == 0 || b == 0 ? 0 : a > Saturated / b ? Saturated : a * b;

    /// <summary>The combinations a walk must visit to count what the rules remove: the product of the ruled parameters.</summary>
    public static long WalkSize(IReadOnlyList<ParameterModel> parameters, IReadOnlyList<PairRule> rules)
        => rules.Count == 0 ? 0 : Product(Ruled(rules).Select(p => (long)parameters[p].Displays.Count));

    /// <summary>Whether <see cref="CountRemoved"/> is cheap: a short walk or few rules.</summary>
    public static bool CanCountQuickly(IReadOnlyList<ParameterModel> parameters, IReadOnlyList<PairRule> rules)
        => WalkSize(parameters, rules) <= MaxEnumerated || rules.Count <= MaxInclusionExclusionRules;

    /// <summary>Combinations removed by the rules.</summary>
    public static long CountRemoved(IReadOnlyList<ParameterModel> parameters, IReadOnlyList<PairRule> rules)
        => rules.Count == 0 ? 0
            : WalkSize(parameters, rules) > MaxEnumerated && rules.Count <= MaxInclusionExclusionRules ? CountByInclusionExclusion(parameters, rules)
            : CountByWalking(parameters, rules);

    /// <summary>
    /// |A₁ ∪ … ∪ Aₙ| where Aᵣ is the set of combinations rule r removes: the sum over non-empty subsets S of rules of
    /// (−1)^(|S|+1) · |∩S|, and |∩S| is the product over parameters of the values every rule in S allows for it.
    /// </summary>
    public static long CountByInclusionExclusion(IReadOnlyList<ParameterModel> parameters, IReadOnlyList<PairRule> rules)
    {
        var sets = rules.Select(r => (
            First: r.First, FirstSet: ToSet(r.FirstValues, parameters[r.First].Displays.Count),
            Second: r.Second, SecondSet: ToSet(r.SecondValues, parameters[r.Second].Displays.Count))).ToList();
        decimal total = 0;
        for (var subset = 1; subset < 1 << rules.Count; subset++)
        {
            // Per parameter the values all rules of the subset agree on (null: unconstrained).
            var allowed = new Dictionary<int, bool[]>();
            var bits = 0;
            for (var r = 0; r < sets.Count; r++)
            {
                if ((subset & (1 << r)) == 0)
                {
                    continue;
                }
                bits++;
                Intersect(allowed, sets[r].First, sets[r].FirstSet);
                Intersect(allowed, sets[r].Second, sets[r].SecondSet);
            }
            decimal size = 1;
            for (var p = 0; p < parameters.Count && size > 0; p++)
            {
                size *= allowed.TryGetValue(p, out var values) ? values.Count(v => v) : parameters[p].Displays.Count;
            }
            total += bits % 2 == 1 ? size : -size;
        }
        return total >= Saturated ? Saturated : (long)total;
    }

    private static void Intersect(Dictionary<int, bool[]> allowed, int parameter, bool[] values)
    {
        if (!allowed.TryGetValue(parameter, out var current))
        {
            allowed[parameter] = (bool[])values.Clone();
            return;
        }
        for (var i = 0; i < current.Length; i++)
        {
            current[i] &= values[i];
        }
    }

    /// <summary>Combinations removed by the rules, counted by walking the ruled parameters (<see cref="WalkSize"/> steps).</summary>
    public static long CountByWalking(IReadOnlyList<ParameterModel> parameters, IReadOnlyList<PairRule> rules)
    {
        if (rules.Count == 0)
        {
            return 0;
        }
        // Walk only the parameters a rule names; position of each in the walk.
        var ruled = Ruled(rules);
        var position = new Dictionary<int, int>();
        for (var i = 0; i < ruled.Count; i++)
        {
            position[ruled[i]] = i;
        }
        var tables = new List<(int First, bool[] FirstSet, int Second, bool[] SecondSet)>();
        foreach (var rule in rules)
        {
            tables.Add((position[rule.First], ToSet(rule.FirstValues, parameters[rule.First].Displays.Count),
                        position[rule.Second], ToSet(rule.SecondValues, parameters[rule.Second].Displays.Count)));
        }

        var counts = ruled.Select(p => parameters[p].Displays.Count).ToArray();
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
            // Odometer increment, last parameter fastest.
            var p = counts.Length - 1;
            while (p >= 0 && ++index[p] == counts[p])
            {
                index[p] = 0;
                p--;
            }
            if (p < 0)
            {
                break;
            }
        }
        // Every combination of the other parameters is removed alike.
        var others = Product(Enumerable.Range(0, parameters.Count).Where(p => !position.ContainsKey(p)).Select(p => (long)parameters[p].Displays.Count));
        return Multiply(removed, others);
    }

    /// <summary>
    /// The configurations of a successive-halving matrix: combinations of the parameters other than the budget
    /// (<paramref name="budgetParameter"/>) that the rules leave at its first rung, where every configuration starts.
    /// </summary>
    public static long Configurations(IReadOnlyList<ParameterModel> parameters, IReadOnlyList<PairRule> rules, int budgetParameter)
    {
        // The budget parameter fixed to its first value; a rule on it applies only where it names that value.
        var fixedBudget = parameters.Select((p, i) => i == budgetParameter
            ? p with { Literals = p.Literals.Take(1).ToEquatableArray(), Displays = p.Displays.Take(1).ToEquatableArray(), Metadata = p.Metadata.Take(1).ToEquatableArray() }
            : p).ToList();
        var first = new[] { 0 }.ToEquatableArray();
        var fixedRules = rules
            .Where(r => (r.First != budgetParameter || r.FirstValues.Contains(0)) && (r.Second != budgetParameter || r.SecondValues.Contains(0)))
            .Select(r => r with
            {
                FirstValues = r.First == budgetParameter ? first : r.FirstValues,
                SecondValues = r.Second == budgetParameter ? first : r.SecondValues,
            })
            .ToList();
        return Product(fixedBudget) - CountRemoved(fixedBudget, fixedRules);
    }

    private static List<int> Ruled(IReadOnlyList<PairRule> rules)
        => rules.SelectMany(r => new[] { r.First, r.Second }).Distinct().OrderBy(p => p).ToList();

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
