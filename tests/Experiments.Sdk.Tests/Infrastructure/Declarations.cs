namespace Experiments.Sdk.Tests.Infrastructure;

/// <summary>The declaration files the tests put into projects: what a user writes, nothing more.</summary>
internal static class Declarations
{
    /// <summary>2 widths × 2 rates × 2 repeats = 8 trials.</summary>
    public const int ValidTrialCount = 8;

    public static readonly string[] ValidTrialIds =
    [
        "width=1/rate=0.1#1", "width=1/rate=0.5#1", "width=2/rate=0.1#1", "width=2/rate=0.5#1",
        "width=1/rate=0.1#2", "width=1/rate=0.5#2", "width=2/rate=0.1#2", "width=2/rate=0.5#2",
    ];

    public const string Valid = """
        [Experiment(Repeats = 2, Objective = "loss")]
        public partial class Sweep
        {
            [Values(1, 2)] public partial int Width { get; }
            [Values(0.1, 0.5)] public partial double Rate { get; }

            public Task<TrialResult> RunAsync(TrialContext context)
                => Task.FromResult(TrialResult.Success(("loss", Width * Rate)));
        }
        """;

    /// <summary>A string among the values of an int parameter: EXP005 on the "two" argument.</summary>
    public const string WrongValueType = """
        [Experiment(Repeats = 2, Objective = "loss")]
        public partial class Sweep
        {
            [Values(1, "two")] public partial int Width { get; }
            [Values(0.1, 0.5)] public partial double Rate { get; }

            public Task<TrialResult> RunAsync(TrialContext context)
                => Task.FromResult(TrialResult.Success(("loss", Width * Rate)));
        }
        """;
}
