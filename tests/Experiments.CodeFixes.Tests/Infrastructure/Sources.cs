namespace Experiments.CodeFixes.Tests.Infrastructure;

/// <summary>Pieces of C# the tests declare experiments with.</summary>
internal static class Sources
{
    /// <summary>Usings every test source starts with.</summary>
    public const string Usings = """
        using System.Threading.Tasks;
        using Experiments;

        """;

    /// <summary>A model catalog, declared the way a library declares one.</summary>
    public const string Models = """
        [KnownValues]
        public static class Models
        {
            [KnownValue("family=resnet")] public const string ResNet18 = "resnet18";
            [KnownValue("family=resnet")] public const string ResNet34 = "resnet34";
            [KnownValue("family=convnext")] public const string ConvNextAtto = "convnext_atto";
            [KnownValue("family=vit")] public const string VitTiny = "vit_tiny";
        }

        """;

    /// <summary>The usual trial body.</summary>
    public const string Run = "    public Task<TrialResult> RunAsync(TrialContext context) => Task.FromResult(TrialResult.Success());";
}
