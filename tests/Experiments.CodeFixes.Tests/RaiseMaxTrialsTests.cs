using Experiments.CodeFixes.Fixes;
using Experiments.CodeFixes.Tests.Infrastructure;
using static Experiments.CodeFixes.Tests.Infrastructure.Sources;

namespace Experiments.CodeFixes.Tests;

/// <summary>EXP009: MaxTrials of the experiment becomes the size of its matrix.</summary>
public sealed class RaiseMaxTrialsTests
{
    private const string Members = """
            [Values(1, 2, 3)] public partial int A { get; }
            [Values(1, 2, 3, 4)] public partial int B { get; }
        """;

    [Fact]
    public async Task An_existing_MaxTrials_is_raised_to_the_matrix_size()
    {
        // 3 × 4 values × 2 repeats = 24 trials.
        await new FixTest<RaiseMaxTrialsCodeFix>
        {
            TestCode = Usings + $$"""
                [Experiment(Repeats = 2, MaxTrials = {|EXP009:10|}, Seed = 7)]
                public partial class Sweep
                {
                {{Members}}
                {{Run}}
                }
                """,
            FixedCode = Usings + $$"""
                [Experiment(Repeats = 2, MaxTrials = 24, Seed = 7)]
                public partial class Sweep
                {
                {{Members}}
                {{Run}}
                }
                """,
            CodeActionEquivalenceKey = RaiseMaxTrialsCodeFix.Key,
        }.RunAsync();
    }

    [Fact]
    public async Task The_size_counts_what_the_rules_leave()
    {
        // 12 combinations, of which the rule removes A = 1 with B = 1: 11 trials.
        await new FixTest<RaiseMaxTrialsCodeFix>
        {
            TestCode = Usings + $$"""
                [Experiment(MaxTrials = {|EXP009:5|})]
                [Exclude(nameof(A), 1, nameof(B), 1)]
                public partial class Sweep
                {
                {{Members}}
                {{Run}}
                }
                """,
            FixedCode = Usings + $$"""
                [Experiment(MaxTrials = 11)]
                [Exclude(nameof(A), 1, nameof(B), 1)]
                public partial class Sweep
                {
                {{Members}}
                {{Run}}
                }
                """,
            CodeActionEquivalenceKey = RaiseMaxTrialsCodeFix.Key,
        }.RunAsync();
    }

    [Fact]
    public async Task MaxTrials_is_added_when_the_budget_comes_from_the_build_property()
    {
        var test = new FixTest<RaiseMaxTrialsCodeFix>
        {
            TestCode = Usings + $$"""
                [{|EXP009:Experiment|}]
                public partial class Sweep
                {
                {{Members}}
                {{Run}}
                }

                [{|EXP009:Experiment()|}]
                public partial class Empty
                {
                {{Members}}
                {{Run}}
                }

                [{|EXP009:Experiment(Repeats = 3)|}]
                public partial class Repeated
                {
                {{Members}}
                {{Run}}
                }
                """,
            FixedCode = Usings + $$"""
                [Experiment(MaxTrials = 12)]
                public partial class Sweep
                {
                {{Members}}
                {{Run}}
                }

                [Experiment(MaxTrials = 12)]
                public partial class Empty
                {
                {{Members}}
                {{Run}}
                }

                [Experiment(Repeats = 3, MaxTrials = 36)]
                public partial class Repeated
                {
                {{Members}}
                {{Run}}
                }
                """,
            CodeActionEquivalenceKey = RaiseMaxTrialsCodeFix.Key,
        };
        // <ExperimentsMaxTrials>10</ExperimentsMaxTrials>, as the SDK passes it to the generator.
        foreach (var state in new[] { test.TestState, test.FixedState })
        {
            state.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.ExperimentsMaxTrials = 10\n"));
        }
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_in_the_project_fixes_every_document()
    {
        var test = new FixTest<RaiseMaxTrialsCodeFix> { CodeActionEquivalenceKey = RaiseMaxTrialsCodeFix.Key };
        test.TestState.Sources.Add(Usings + $$"""
            [Experiment(MaxTrials = {|EXP009:2|})]
            public partial class First
            {
            {{Members}}
            {{Run}}
            }
            """);
        test.TestState.Sources.Add(Usings + $$"""
            [Experiment(Repeats = 5, MaxTrials = {|EXP009:2|})]
            public partial class Second
            {
            {{Members}}
            {{Run}}
            }
            """);
        test.FixedState.Sources.Add(Usings + $$"""
            [Experiment(MaxTrials = 12)]
            public partial class First
            {
            {{Members}}
            {{Run}}
            }
            """);
        test.FixedState.Sources.Add(Usings + $$"""
            [Experiment(Repeats = 5, MaxTrials = 60)]
            public partial class Second
            {
            {{Members}}
            {{Run}}
            }
            """);
        test.NumberOfFixAllInDocumentIterations = 2;
        await test.RunAsync();
    }
}
