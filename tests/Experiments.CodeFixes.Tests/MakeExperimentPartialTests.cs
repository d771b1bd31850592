using Experiments.CodeFixes.Fixes;
using Experiments.CodeFixes.Tests.Infrastructure;
using static Experiments.CodeFixes.Tests.Infrastructure.Sources;

namespace Experiments.CodeFixes.Tests;

/// <summary>EXP001: the experiment class becomes partial (the compiler's CS0260 at the same name goes with it).</summary>
public sealed class MakeExperimentPartialTests
{
    [Fact]
    public async Task Partial_goes_before_class_after_the_other_modifiers()
    {
        await new FixTest<MakeExperimentPartialCodeFix>
        {
            TestCode = Usings + $$"""
                [Experiment(Repeats = 2)]
                public sealed class {|EXP001:{|CS0260:Sweep|}|}
                {
                    [Values(1, 2)] public partial int X { get; }
                {{Run}}
                }
                """,
            FixedCode = Usings + $$"""
                [Experiment(Repeats = 2)]
                public sealed partial class Sweep
                {
                    [Values(1, 2)] public partial int X { get; }
                {{Run}}
                }
                """,
            CodeActionEquivalenceKey = MakeExperimentPartialCodeFix.Key,
        }.RunAsync();
    }

    [Fact]
    public async Task Fix_all_in_the_project_fixes_every_document()
    {
        var test = new FixTest<MakeExperimentPartialCodeFix> { CodeActionEquivalenceKey = MakeExperimentPartialCodeFix.Key };
        test.TestState.Sources.Add(Usings + $$"""
            [Experiment]
            class {|EXP001:{|CS0260:First|}|}
            {
                [Values(1, 2)] public partial int X { get; }
            {{Run}}
            }
            """);
        test.TestState.Sources.Add(Usings + $$"""
            namespace Sweeps;

            [Experiment]
            public class {|EXP001:{|CS0260:Second|}|}
            {
                [Values("a", "b")] public partial string Y { get; }
            {{Run}}
            }
            """);
        test.FixedState.Sources.Add(Usings + $$"""
            [Experiment]
            partial class First
            {
                [Values(1, 2)] public partial int X { get; }
            {{Run}}
            }
            """);
        test.FixedState.Sources.Add(Usings + $$"""
            namespace Sweeps;

            [Experiment]
            public partial class Second
            {
                [Values("a", "b")] public partial string Y { get; }
            {{Run}}
            }
            """);
        test.NumberOfFixAllInDocumentIterations = 2;
        await test.RunAsync();
    }
}
