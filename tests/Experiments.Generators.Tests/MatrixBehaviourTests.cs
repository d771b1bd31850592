using Experiments.Generators.Matrix;
using Experiments.Generators.Tests.Infrastructure;

namespace Experiments.Generators.Tests;

/// <summary>The generated matrix as the runner sees it: compiled, loaded and enumerated.</summary>
public sealed class MatrixBehaviourTests
{
    private static ExperimentDefinition LoadSingle(string source, out GeneratedAssembly assembly)
    {
        assembly = GeneratedAssembly.Load(GeneratorHarness.Run(source));
        return Assert.Single(assembly.Catalog);
    }

    [Fact]
    public void Trials_come_in_a_deterministic_order_with_readable_ids()
    {
        var experiment = LoadSingle(Declarations.FineTune, out var assembly);
        var trials = experiment.Trials.ToList();

        Assert.Equal("FineTune", experiment.Name);
        Assert.Equal(Declarations.FineTuneSize, assembly.MatrixSize("Demo.FineTune"));
        Assert.Equal(Declarations.FineTuneSize, experiment.MatrixSize);
        Assert.Equal(experiment.MatrixSize, trials.Count);
        Assert.Equal(Declarations.FineTuneRemoved, experiment.RemovedByRules);
        Assert.Equal(Enumerable.Range(0, trials.Count), trials.Select(t => t.Index));
        Assert.Equal(trials.Count, trials.Select(t => t.Id).Distinct().Count());

        // Repeat-major; within a repeat the parameters in declaration order, the last one fastest.
        Assert.Equal("resnet18/average/size=32/lr=0.000727/dropout=0.5#1", trials[0].Id);
        Assert.Equal("resnet18/average/size=32/lr=0.000727/dropout=0.25#1", trials[1].Id);
        Assert.Equal("resnet18/average/size=32/lr=0.000772/dropout=0.5#1", trials[2].Id);
        Assert.Equal("vit_tiny/average/size=32/lr=0.00511/dropout=0.25#3", trials[^1].Id);
        Assert.Equal(new[] { 1, 2, 3 }, trials.Select(t => t.Repeat).Distinct());
        Assert.All(trials, t => Assert.Equal(t.Repeat == 1 ? 0 : t.Repeat == 2 ? 54 : 108, t.Index - (t.Index % 54)));
        Assert.All(trials, t => Assert.Equal(42 + t.Repeat - 1, t.Seed));
        Assert.All(trials.Take(54), t => Assert.EndsWith("#1", t.Id));

        // Typed values and display text per parameter.
        var first = trials[0].Parameters;
        Assert.Equal(new[] { "Arch", "Pool", "Size", "LearningRate", "Dropout" }, first.Select(p => p.Name));
        Assert.Equal("resnet18", first[0].Value);
        Assert.Equal("Average", first[1].Value.ToString());
        Assert.Equal(32, first[2].Value);
        Assert.Equal(0.000727, first[3].Value);
        Assert.Equal(0.5f, first[4].Value);

        // Known-set metadata travels with the values.
        Assert.Equal("vit", experiment.Parameters[0].MetadataOf("vit_tiny")["family"]);
        Assert.Equal("32", experiment.Parameters[0].MetadataOf("vit_tiny")["input_size"]);
        Assert.Empty(experiment.Parameters[1].MetadataOf("average"));
    }

    [Fact]
    public void Rules_remove_exactly_the_excluded_combinations()
    {
        var trials = LoadSingle(Declarations.FineTune, out _).Trials.ToList();
        string Arch(Trial t) => (string)t.Parameters[0].Value;
        string Pool(Trial t) => t.Parameters[1].Display;
        int Size(Trial t) => (int)t.Parameters[2].Value;

        // vit_tiny never with Concat (the [Exclude] rule) nor with Size 64 (input_size=32 constraint).
        Assert.DoesNotContain(trials, t => Arch(t) == "vit_tiny" && Pool(t) == "concat");
        Assert.DoesNotContain(trials, t => Arch(t) == "vit_tiny" && Size(t) == 64);
        Assert.Equal(3 * 2 * 3, trials.Count(t => Arch(t) == "vit_tiny")); // lr × dropout × repeats
        // Everything else is kept: 2 archs × 2 pools × 2 sizes × 3 lr × 2 dropouts × 3 repeats.
        Assert.Equal(2 * 2 * 2 * 3 * 2 * 3, trials.Count(t => Arch(t) != "vit_tiny"));
        Assert.Contains(trials, t => Arch(t) == "resnet18" && Pool(t) == "concat" && Size(t) == 64);

        var experiment = LoadSingle(Declarations.FineTune, out _);
        Assert.Equal(
            new[] { "exclude Arch=vit_* with Pool=Pooling.Concat (no concat pooling for ViT)", "vit_tiny runs only with Size=32 (input_size)" },
            experiment.Rules);
    }

    [Fact]
    public void Rule_wildcards_match_regardless_of_case_as_filters_do()
    {
        // One wildcard rule (Experiments.Wildcard) for [Exclude] and run --filter: '*' matches any run of characters,
        // letters match regardless of case.
        var source = Sources.Usings + """
            [Experiment]
            [Exclude(nameof(Arch), "VIT_*", nameof(Size), 64)]
            public partial class Cases
            {
                [Values("vit_tiny", "ViT_Base", "resnet18")] public partial string Arch { get; }
                [Values(32, 64)] public partial int Size { get; }
                public Task<TrialResult> RunAsync(TrialContext context) => Task.FromResult(TrialResult.Success());
            }
            """;
        var experiment = LoadSingle(source, out var assembly);

        Assert.Equal(2, experiment.RemovedByRules);
        Assert.Equal(4, experiment.MatrixSize);
        Assert.Equal(4, assembly.MatrixSize("Cases"));
        Assert.Equal(
            new[] { "vit_tiny/size=32#1", "ViT_Base/size=32#1", "resnet18/size=32#1", "resnet18/size=64#1" },
            experiment.Trials.Select(t => t.Id));
    }

    [Fact]
    public void Selections_enumerate_count_and_index_the_sub_matrix_as_the_full_enumeration_does()
    {
        // The generated definition gives the runtime the values by index and the rules as value indices; a selection
        // (what a filter that fixes parameters becomes) is enumerated without the rest of the matrix, with the same
        // trials, order and indices as filtering the full enumeration.
        var experiment = LoadSingle(Declarations.FineTune, out _);
        var all = experiment.Trials.ToList();
        var everything = MatrixSelection.All(experiment.Parameters);
        Assert.Equal(experiment.MatrixSize, experiment.CountIn(everything));

        var selections = new List<MatrixSelection>();
        for (var p = 0; p < experiment.Parameters.Count; p++)
        {
            for (var v = 0; v < experiment.Parameters[p].Values.Count; v++)
            {
                selections.Add(everything.Where(p, [v]));
                selections.Add(everything.Where(p, Enumerable.Range(0, experiment.Parameters[p].Values.Count).Where(i => i != v)));
                for (var q = p + 1; q < experiment.Parameters.Count; q++)
                {
                    selections.Add(everything.Where(p, [v]).Where(q, [experiment.Parameters[q].Values.Count - 1]));
                }
            }
        }
        selections.Add(everything.Where(0, v => v == "vit_tiny").Where(1, v => v == "concat")); // only excluded combinations
        selections.Add(everything.Where(0, Array.Empty<int>()));

        foreach (var selection in selections)
        {
            var expected = all.Where(selection.Contains).Select(t => (t.Id, t.Index, t.Repeat, t.Seed)).ToList();
            Assert.Equal(expected, experiment.TrialsIn(selection).Select(t => (t.Id, t.Index, t.Repeat, t.Seed)));
            Assert.Equal(expected.Count, experiment.CountIn(selection));
        }
    }

    [Fact]
    public void A_trial_is_found_from_its_id_without_enumerating_the_matrix()
    {
        var experiment = LoadSingle(Declarations.FineTune, out _);
        foreach (var trial in experiment.Trials)
        {
            var found = experiment.FindTrial(trial.Id);
            Assert.NotNull(found);
            Assert.Equal((trial.Id, trial.Index, trial.Repeat, trial.Seed), (found.Id, found.Index, found.Repeat, found.Seed));
            Assert.Equal(trial.Parameters.Select(p => p.Value), found.Parameters.Select(p => p.Value));
        }
        // Excluded by a rule (vit_tiny with concat pooling), a repeat past Repeats, an unknown value, a malformed id.
        Assert.Null(experiment.FindTrial("vit_tiny/concat/size=32/lr=0.000727/dropout=0.5#1"));
        Assert.Null(experiment.FindTrial("resnet18/average/size=32/lr=0.000727/dropout=0.5#4"));
        Assert.Null(experiment.FindTrial("resnet18/average/size=48/lr=0.000727/dropout=0.5#1"));
        Assert.Null(experiment.FindTrial("resnet18/average/size=32#1"));
        Assert.Null(experiment.FindTrial("resnet18/average/size=32/lr=0.000727/dropout=0.5"));
    }

    [Fact]
    public void Ids_are_the_same_across_generator_runs()
    {
        var first = LoadSingle(Declarations.FineTune, out _).Trials.Select(t => t.Id).ToList();
        var second = LoadSingle(Declarations.FineTune, out _).Trials.Select(t => t.Id).ToList();
        Assert.Equal(first, second);

        // And the generated text itself is identical.
        Assert.Equal(GeneratorHarness.Run(Declarations.FineTune).Sources, GeneratorHarness.Run(Declarations.FineTune).Sources);
    }

    [Fact]
    public void Ids_escape_separators_inside_string_values()
    {
        var source = Sources.Usings + """
            [Experiment]
            public partial class Escapes
            {
                [Values("a/b", "c#d", "e%f", "plain")] public partial string Name { get; }
                [Values('/', '#')] public partial char Separator { get; }
                public Task<TrialResult> RunAsync(TrialContext context) => Task.FromResult(TrialResult.Success());
            }
            """;
        var trials = LoadSingle(source, out _).Trials.ToList();
        Assert.Equal(
            new[]
            {
                "a%2Fb/separator=%2F#1", "a%2Fb/separator=%23#1",
                "c%23d/separator=%2F#1", "c%23d/separator=%23#1",
                "e%25f/separator=%2F#1", "e%25f/separator=%23#1",
                "plain/separator=%2F#1", "plain/separator=%23#1",
            },
            trials.Select(t => t.Id));
        // Exactly one '#' (the repeat) and one '/' per separator between parameters.
        Assert.All(trials, t => Assert.Single(t.Id, c => c == '#'));
        Assert.All(trials, t => Assert.Single(t.Id, c => c == '/'));
        Assert.Equal("a/b", trials[0].Parameters[0].Value);
        Assert.Equal('#', trials[1].Parameters[1].Value);
        Assert.Equal("a%2Fb/separator=%2F", trials[0].ConfigurationId);
    }

    [Fact]
    public void Values_too_long_for_a_file_name_get_a_short_hashed_id_and_shorter_values_keep_theirs()
    {
        // A trial's artifact folder is named after its id, and a file name has at most 255 bytes: a value longer than
        // 253 bytes (value#1) could never run, so it is shortened; every value that could run keeps its id.
        var longest = new string('k', 253);
        var prompt = "You are a helpful assistant/" + new string('x', 10_000);
        var other = "You are a helpful assistant/" + new string('x', 9_999) + "y";
        var wide = new string('é', 127);
        var source = Sources.Usings + $$"""
            [Experiment]
            public partial class Prompts
            {
                [Values("{{longest}}", "{{prompt}}", "{{other}}", "{{wide}}")] public partial string Prompt { get; }
                public Task<TrialResult> RunAsync(TrialContext context) => Task.FromResult(TrialResult.Success());
            }
            """;
        var trials = LoadSingle(source, out _).Trials.ToList();
        var ids = trials.Select(t => t.Id).ToList();

        Assert.Equal(longest + "#1", ids[0]);
        Assert.Matches("^You are a helpful assistant%2Fx{18}~[0-9a-f]{12}#1$", ids[1]);
        Assert.Matches("^You are a helpful assistant%2Fx{18}~[0-9a-f]{12}#1$", ids[2]);
        Assert.NotEqual(ids[1], ids[2]);
        // 254 bytes of UTF-8: shortened to whole characters (2 bytes each) within 48 bytes.
        Assert.Matches("^é{24}~[0-9a-f]{12}#1$", ids[3]);
        Assert.All(ids, id => Assert.True(System.Text.Encoding.UTF8.GetByteCount(id) <= 255, id));
        // The trial still gets the whole value.
        Assert.Equal(prompt, trials[1].Parameters[0].Value);

        // Stable: the hash is of the value, not of the build.
        Assert.Equal(ids, LoadSingle(source, out _).Trials.Select(t => t.Id));
        Assert.EndsWith("~" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(prompt)))[..12] + "#1", ids[1]);
    }

    [Fact]
    public async Task Every_primitive_type_round_trips_and_runs()
    {
        var source = Sources.Usings + """
            public enum Mode { Fast, LowRank }

            [Experiment(Name = "types", Repeats = 2, Seed = 100, Goal = Goal.Maximize, Objective = "accuracy", ScoreConstant = 10)]
            public partial class Types
            {
                [Values((byte)1)] public partial byte B { get; }
                [Values((sbyte)-1)] public partial sbyte Sb { get; }
                [Values((short)-2)] public partial short S { get; }
                [Values((ushort)2)] public partial ushort Us { get; }
                [Values(-3)] public partial int I { get; }
                [Values(3u)] public partial uint U { get; }
                [Values(-4L, 5)] public partial long L { get; }
                [Values(4UL)] public partial ulong Ul { get; }
                [Values(0.1f)] public partial float F { get; }
                [Values(0.1, 1e-5, -2.5)] public partial double D { get; }
                [Values(0.5)] public partial decimal M { get; }
                [Values(true)] public partial bool Flag { get; }
                [Values('x')] public partial char C { get; }
                [Values(Mode.LowRank)] public partial Mode Mode { get; }
                [Values("a\"quote\\")] public partial string Text { get; }
                [Uniform(0, 1, Samples = 2, Seed = 3, Digits = 2)] public partial float UniformF { get; }

                public Task<TrialResult> RunAsync(TrialContext context)
                    => Task.FromResult(TrialResult.Success(("accuracy", B + Sb + S + Us + I + U + L + (double)Ul + F + D + (double)M + (Flag ? 1 : 0) + C + (int)Mode + Text.Length + UniformF)));
            }
            """;
        var experiment = LoadSingle(source, out _);
        Assert.Equal("types", experiment.Name);
        Assert.Equal(Goal.Maximize, experiment.Goal);
        Assert.Equal("accuracy", experiment.Objective);
        Assert.Equal(10, experiment.ScoreConstant);
        Assert.Equal(100, experiment.Seed);
        var trials = experiment.Trials.ToList();
        Assert.Equal(2 * 3 * 2 * 2, trials.Count);
        Assert.Equal(
            "b=1/sb=-1/s=-2/us=2/i=-3/u=3/l=-4/ul=4/f=0.1/d=0.1/m=0.5/flag=true/c=x/low-rank/a\"quote\\/uniform-f=",
            trials[0].Id[..trials[0].Id.LastIndexOf('=')] + "=");
        Assert.Contains(trials, t => t.Id.Contains("/d=1E-05/", StringComparison.Ordinal));
        Assert.Equal(new object[] { (byte)1, (sbyte)-1, (short)-2, (ushort)2, -3, 3u, -4L, 4UL, 0.1f, 0.1, 0.5m, true, 'x' },
            trials[0].Parameters.Take(13).Select(p => p.Value));
        Assert.All(trials, t => Assert.Equal(100 + t.Repeat - 1, t.Seed));

        // Running a trial sets the instance's properties from the trial's values.
        var trial = trials[0];
        var context = new TrialContext(trial, "cpu", Path.GetTempPath(), new NullObserver(), CancellationToken.None);
        var result = await experiment.RunAsync(trial, context);
        var expected = 1 - 1 - 2 + 2 - 3 + 3 - 4 + 4 + 0.1f + 0.1 + 0.5 + 1 + 'x' + 1 + 8 + (float)trial.Parameters[15].Value;
        Assert.Equal(expected, result.Metrics["accuracy"], 6);
    }

    [Fact]
    public async Task Values_keep_their_own_type_when_parameter_types_have_a_common_type()
    {
        // int and double have a best common type (double): the generated value lookup must still box each as its own.
        var source = Sources.Usings + """
            [Experiment]
            public partial class Numbers
            {
                [Values(1, 2)] public partial int Steps { get; }
                [Values(0.5)] public partial double Rate { get; }
                [Values(3L)] public partial long Big { get; }
                public TrialResult Run(TrialContext context) => TrialResult.Success(("loss", Steps * Rate + Big));
            }
            """;
        var experiment = LoadSingle(source, out _);
        var trial = experiment.Trials.Last();
        Assert.IsType<int>(trial.Parameters[0].Value);
        Assert.IsType<double>(trial.Parameters[1].Value);
        Assert.IsType<long>(trial.Parameters[2].Value);
        var result = await experiment.RunAsync(trial, new TrialContext(trial, "cpu", Path.GetTempPath(), new NullObserver(), CancellationToken.None));
        Assert.Equal(4, result.Metrics["loss"]);
    }

    [Fact]
    public void Parameters_of_a_class_split_over_files_come_in_file_then_source_order()
    {
        var b = GeneratorHarness.Parse(Sources.Usings + """
            [Experiment]
            public partial class Split
            {
                [Values(1, 2)] public partial int Second { get; }
                [Values(3)] public partial int Third { get; }
                public TrialResult Run(TrialContext context) => TrialResult.Success();
            }
            """, "B.cs");
        var a = GeneratorHarness.Parse(Sources.Usings + """
            public partial class Split
            {
                [Values("x")] public partial string First { get; }
            }
            """, "A.cs");
        var result = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(b, a));
        var experiment = Assert.Single(GeneratedAssembly.Load(result).Catalog);
        Assert.Equal(new[] { "First", "Second", "Third" }, experiment.Parameters.Select(p => p.Name));
        Assert.Equal(new[] { "x/second=1/third=3#1", "x/second=2/third=3#1" }, experiment.Trials.Select(t => t.Id));
    }

    [Fact]
    public async Task Synchronous_run_method_is_called()
    {
        var source = Sources.Usings + """
            [Experiment]
            public partial class Sync
            {
                [Values(2, 3)] public partial int N { get; }
                public TrialResult Run(TrialContext context) => TrialResult.Success(("loss", N * 10));
            }
            """;
        var experiment = LoadSingle(source, out _);
        var trial = experiment.Trials.Last();
        var result = await experiment.RunAsync(trial, new TrialContext(trial, "cpu", Path.GetTempPath(), new NullObserver(), CancellationToken.None));
        Assert.Equal(30, result.Metrics["loss"]);
    }

    [Fact]
    public void Distribution_samples_are_deterministic_for_a_seed_and_within_range()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var log = Sampling.Draw(1e-5, 3e-2, logarithmic: true, samples: 8, seed, digits: 3);
            Assert.Equal(log, Sampling.Draw(1e-5, 3e-2, logarithmic: true, samples: 8, seed, digits: 3));
            Assert.All(log, v => Assert.InRange(v, 1e-5, 3e-2));
            Assert.Equal(log.Order(), log);
            Assert.Equal(log.Count, log.Distinct().Count());

            // Bounds with more significant digits than kept: rounding must not leave the range.
            var uniform = Sampling.Draw(0.123456, 0.123999, logarithmic: false, samples: 5, seed, digits: 3);
            Assert.All(uniform, v => Assert.InRange(v, 0.123456, 0.123999));
        }
        Assert.NotEqual(Sampling.Draw(0, 1, false, 4, 1, 6), Sampling.Draw(0, 1, false, 4, 2, 6));
        // Fixed by the algorithm (SplitMix64), not by System.Random: these values must never change.
        Assert.Equal(new[] { 0.000727, 0.000772, 0.00511 }, Sampling.Draw(1e-4, 1e-1, true, 3, 7, 3));
    }

    [Fact]
    public void Distribution_values_in_the_generated_matrix_match_the_sampler()
    {
        var experiment = LoadSingle(Declarations.FineTune, out _);
        var lr = experiment.Parameters.Single(p => p.Name == "LearningRate");
        Assert.Equal("lr", lr.Key);
        Assert.Equal(Sampling.Draw(1e-4, 1e-1, true, 3, 7, 3).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)), lr.Values);
    }

    [Fact]
    public void Catalog_registers_every_experiment_without_scanning()
    {
        var source = Sources.Usings + """
            namespace A { [Experiment] public partial class Sweep { [Values(1)] public partial int X { get; } public TrialResult Run(TrialContext c) => TrialResult.Success(); } }
            namespace B { [Experiment(Name = "other")] internal partial class Sweep { [Values(1)] public partial int X { get; } public TrialResult Run(TrialContext c) => TrialResult.Success(); } }
            """;
        var result = GeneratorHarness.Run(source);
        Assert.Equal(new[] { "A.Sweep.Experiments.g.cs", "B.Sweep.Experiments.g.cs", "ExperimentCatalog.Experiments.g.cs" }, result.Sources.Keys.Order(StringComparer.Ordinal));
        var assembly = GeneratedAssembly.Load(result);
        Assert.Equal(new[] { "Sweep", "other" }, assembly.Catalog.Select(e => e.Name));

        // The module initializer registers them as soon as the assembly is used.
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(assembly.Assembly.ManifestModule.ModuleHandle);
        Assert.Contains(assembly.Catalog[0], ExperimentRegistry.All);
        Assert.Contains(assembly.Catalog[1], ExperimentRegistry.All);
    }

    private sealed class NullObserver : ITrialObserver
    {
        public void OnMetric(string name, double value, int? epoch)
        {
        }

        public void OnProgress(double fraction, string? message)
        {
        }
    }
}
