namespace Experiments;

/// <summary>How the runner spends its trials on the matrix (see <see cref="ExperimentAttribute.Search"/>).</summary>
public enum Search
{
    /// <summary>Every combination runs with every value of every parameter.</summary>
    Grid,

    /// <summary>
    /// Asynchronous successive halving (ASHA): every configuration starts at the smallest value of the
    /// <see cref="BudgetAttribute"/> parameter (the first rung); a configuration moves up a rung (budget × the
    /// <see cref="ExperimentAttribute.ReductionFactor"/>) when its mean objective over its repeats is in the top
    /// 1/<c>ReductionFactor</c> of the configurations finished at its rung. The others stop there.
    /// </summary>
    SuccessiveHalving,
}

/// <summary>
/// Marks the one parameter of a <see cref="Search.SuccessiveHalving"/> experiment that is the budget a configuration is
/// given at each rung (epochs, steps, images): an <c>int</c> property whose values the generator lays out as the rungs
/// <c>Min</c>, <c>Min·η</c>, <c>Min·η²</c>, … up to <c>Max</c> (η the reduction factor). It takes no values attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class BudgetAttribute : Attribute
{
    public BudgetAttribute(int min, int max)
    {
        Min = min;
        Max = max;
    }

    /// <summary>The budget of the first rung, which every configuration gets.</summary>
    public int Min { get; }

    /// <summary>The budget of the top rung: what a grid would give every configuration.</summary>
    public int Max { get; }
}
