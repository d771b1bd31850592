namespace Experiments.Generators.Tests.Infrastructure;

/// <summary>Pieces of C# the tests declare experiments with.</summary>
internal static class Sources
{
    /// <summary>Usings every test source starts with.</summary>
    public const string Usings = """
        using System.Threading.Tasks;
        using Experiments;

        """;

    /// <summary>A model catalog in source, declared the way a library declares one in metadata.</summary>
    public const string Models = """
        [KnownValues]
        public static class Models
        {
            [KnownValue("family=resnet", "params=11689512")] public const string ResNet18 = "resnet18";
            [KnownValue("family=resnet", "params=21797672")] public const string ResNet34 = "resnet34";
            [KnownValue("family=convnext")] public const string ConvNextAtto = "convnext_atto";
            [KnownValue("family=vit", "input_size=32")] public const string VitTiny = "vit_tiny";
            [KnownValue("family=vit", "input_size=224")] public const string VitBase = "vit_base";
        }

        public enum Pooling { Average, Concat }

        """;

    /// <summary>The usual trial body.</summary>
    public const string Run = """
            public Task<TrialResult> RunAsync(TrialContext context) => Task.FromResult(TrialResult.Success());
        """;

    /// <summary>
    /// A class <c>Sweep</c> with the given experiment attribute arguments, extra class attributes and members,
    /// after <see cref="Usings"/> and <see cref="Models"/>.
    /// </summary>
    public static string Experiment(string members, string arguments = "", string classAttributes = "", bool withRun = true)
        => Usings + Models + classAttributes + (classAttributes.Length > 0 ? "\n" : "")
           + $"[Experiment({arguments})]\npublic partial class Sweep\n{{\n{members}\n{(withRun ? Run : "")}\n}}\n";
}
