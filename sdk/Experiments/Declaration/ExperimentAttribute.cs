namespace Experiments;

/// <summary>Whether the objective metric is better when lower or higher.</summary>
public enum Goal
{
    Minimize,
    Maximize,
}

/// <summary>
/// Marks a <c>partial</c> class as a sweep. Every <c>partial</c> property carrying a values attribute
/// (<see cref="ValuesAttribute"/>, <see cref="UniformAttribute"/>, <see cref="LogUniformAttribute"/>) is a parameter;
/// the source generator expands their cartesian product × <see cref="Repeats"/> into the trial matrix.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ExperimentAttribute : Attribute
{
    /// <summary>How many times each combination runs (each repeat gets its own seed).</summary>
    public int Repeats { get; set; } = 1;

    /// <summary>The metric the leaderboard ranks by, as reported by the trial.</summary>
    public string Objective { get; set; } = "loss";

    public Goal Goal { get; set; } = Goal.Minimize;

    /// <summary>Upper bound on the matrix size; a larger matrix is a build error (EXP009). 0 = the project default.</summary>
    public int MaxTrials { get; set; }

    /// <summary>The constant in the report's score <c>objective × (fit_time + ScoreConstant)</c>: seconds added to every fit time, so that being faster than about this much counts little (default 80, of the order of one fine-tuning run on a GPU).</summary>
    public double ScoreConstant { get; set; } = 80;

    /// <summary>Seed of repeat #1; repeat #k runs with <c>Seed + k - 1</c>, the same for every combination.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>
    /// How the matrix is searched: every trial (<see cref="Experiments.Search.Grid"/>, the default) or successive halving
    /// over the parameter marked <see cref="BudgetAttribute"/> (<see cref="Experiments.Search.SuccessiveHalving"/>).
    /// </summary>
    public Search Search { get; set; } = Search.Grid;

    /// <summary>
    /// η of <see cref="Experiments.Search.SuccessiveHalving"/>: each rung's budget is η times the one below, and the top
    /// 1/η of the configurations finished at a rung move up. At least 2; 3 by default (Hyperband's and ASHA's choice).
    /// </summary>
    public int ReductionFactor { get; set; } = 3;

    /// <summary>Name shown in ids and reports; defaults to the class name.</summary>
    public string? Name { get; set; }
}
