using Experiments.Generators.Tests.Infrastructure;

namespace Experiments.Generators.Tests;

/// <summary>Declarations shared by the snapshot and behaviour tests.</summary>
internal static class Declarations
{
    /// <summary>
    /// Strings from a known set with metadata, an enum, an int constrained by the set's <c>input_size</c>, a
    /// log-uniform learning rate, a float, an exclusion rule and 3 repeats.
    /// 3 × 2 × 2 × 3 × 2 = 72 combinations; the rule removes vit_tiny with Concat (12), the constraint vit_tiny
    /// with Size 64 (12), both at once 6: 18 removed, 54 left, × 3 repeats = 162 trials.
    /// </summary>
    public const string FineTune = Sources.Usings + """
        namespace Demo;

        [KnownValues]
        public static class Models
        {
            [KnownValue("family=resnet", "params=11689512")] public const string ResNet18 = "resnet18";
            [KnownValue("family=convnext")] public const string ConvNextAtto = "convnext_atto";
            [KnownValue("family=vit", "input_size=32")] public const string VitTiny = "vit_tiny";
        }

        public enum Pooling { Average, Concat }

        [Experiment(Repeats = 3, Objective = "error_rate", Goal = Goal.Minimize)]
        [Exclude(nameof(Arch), "vit_*", nameof(Pool), Pooling.Concat, Reason = "no concat pooling for ViT")]
        public partial class FineTune
        {
            [Values("resnet18", "convnext_atto", "vit_tiny")]
            [KnownIn(typeof(Models))]
            public partial string Arch { get; }

            [Values(Pooling.Average, Pooling.Concat)]
            public partial Pooling Pool { get; }

            [Values(32, 64)]
            [ConstrainedBy("input_size")]
            public partial int Size { get; }

            [LogUniform(1e-4, 1e-1, Samples = 3, Seed = 7, Key = "lr")]
            public partial double LearningRate { get; }

            [Values(0.5f, 0.25f)]
            public partial float Dropout { get; }

            public Task<TrialResult> RunAsync(TrialContext context)
            {
                context.ReportMetric("error_rate", Arch.Length / 100.0);
                return Task.FromResult(TrialResult.Success());
            }
        }
        """;

    public const int FineTuneCombinations = 72;
    public const int FineTuneRemoved = 18;
    public const int FineTuneSize = 162;

    /// <summary>
    /// Successive halving with η = 3 over <c>Epochs</c> 1…9 (rungs 1, 3, 9), declared between the other parameters:
    /// 3 archs × 2 learning rates = 6 configurations, of which the rule removes vit_tiny with 0.1 (1): 5 configurations
    /// × 3 rungs × 2 repeats = 30 trials in the matrix (every cell), 10 of them at the first rung.
    /// </summary>
    public const string Halving = Sources.Usings + """
        namespace Demo;

        [Experiment(Search = Search.SuccessiveHalving, ReductionFactor = 3, Repeats = 2, Objective = "error_rate")]
        [Exclude(nameof(Arch), "vit_*", nameof(LearningRate), 0.1)]
        public partial class Halving
        {
            [Values("resnet18", "convnext_atto", "vit_tiny")]
            public partial string Arch { get; }

            [Budget(1, 9)]
            public partial int Epochs { get; }

            [Values(0.1, 0.01, Key = "lr")]
            public partial double LearningRate { get; }

            public Task<TrialResult> RunAsync(TrialContext context)
            {
                context.ReportMetric("error_rate", 1.0 / Epochs);
                return Task.FromResult(TrialResult.Success());
            }
        }
        """;

    public const int HalvingConfigurations = 5;
    public const int HalvingSize = 30;
}
