namespace Experiments;

/// <summary>
/// How an experiment searches its matrix, as the generator emitted it: a grid (every trial), or successive halving over
/// <see cref="BudgetParameter"/>, whose values (in the matrix, in this order) are the rung budgets <see cref="Rungs"/>.
/// </summary>
public sealed record SearchSettings(Search Kind, string? BudgetParameter, int ReductionFactor, IReadOnlyList<int> Rungs)
{
    public static SearchSettings Grid { get; } = new(Search.Grid, null, 0, []);

    /// <summary>Successive halving over the parameter named <paramref name="budgetParameter"/> (its property name).</summary>
    public static SearchSettings SuccessiveHalving(string budgetParameter, int reductionFactor, IReadOnlyList<int> rungs)
    {
        ArgumentException.ThrowIfNullOrEmpty(budgetParameter);
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionFactor, 2);
        if (rungs.Count == 0 || rungs.Zip(rungs.Skip(1)).Any(pair => pair.First >= pair.Second))
        {
            throw new ArgumentException("The rungs must be ascending budgets, at least one.", nameof(rungs));
        }
        return new SearchSettings(Search.SuccessiveHalving, budgetParameter, reductionFactor, rungs.ToArray());
    }

    public bool IsAdaptive => Kind == Search.SuccessiveHalving;

    /// <summary>The budget of the top rung: what a grid gives every configuration.</summary>
    public int MaxBudget => Rungs.Count == 0 ? 0 : Rungs[^1];

    /// <summary>
    /// How many configurations reach each rung at least, when <paramref name="configurations"/> start at the first:
    /// ⌊n/η⌋ of the n finished at a rung move up once all have finished (an asynchronous search may promote more, early).
    /// </summary>
    public IReadOnlyList<int> ConfigurationsPerRung(int configurations)
    {
        var counts = new int[Rungs.Count];
        var n = configurations;
        for (var rung = 0; rung < counts.Length; rung++)
        {
            counts[rung] = n;
            n /= Math.Max(ReductionFactor, 1);
        }
        return counts;
    }

    /// <summary>
    /// The budget (trial-epochs, when the budget is epochs) that those counts spend, per repeat: each configuration pays
    /// the budget of every rung it reaches when it restarts there, or only the difference to the rung below when it
    /// continues from that rung's result (<paramref name="continues"/>).
    /// </summary>
    public long BudgetSpent(IReadOnlyList<int> configurationsPerRung, bool continues)
    {
        long spent = 0;
        for (var rung = 0; rung < Rungs.Count && rung < configurationsPerRung.Count; rung++)
        {
            var cost = continues && rung > 0 ? Rungs[rung] - Rungs[rung - 1] : Rungs[rung];
            spent += (long)configurationsPerRung[rung] * cost;
        }
        return spent;
    }
}
