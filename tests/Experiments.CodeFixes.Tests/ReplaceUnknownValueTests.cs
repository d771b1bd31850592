using Experiments.CodeFixes.Fixes;
using Experiments.CodeFixes.Tests.Infrastructure;
using static Experiments.CodeFixes.Tests.Infrastructure.Sources;

namespace Experiments.CodeFixes.Tests;

/// <summary>EXP006: a value outside the known set becomes a close known value, as the generator suggested.</summary>
public sealed class ReplaceUnknownValueTests
{
    [Fact]
    public async Task The_value_becomes_the_suggestion()
    {
        await new FixTest<ReplaceUnknownValueCodeFix>
        {
            TestCode = Usings + Models + $$"""
                [Experiment]
                public partial class Sweep
                {
                    [Values("resnet18", {|EXP006:"vit_tiyn"|})] [KnownIn(typeof(Models))] public partial string Arch { get; }
                {{Run}}
                }
                """,
            FixedCode = Usings + Models + $$"""
                [Experiment]
                public partial class Sweep
                {
                    [Values("resnet18", "vit_tiny")] [KnownIn(typeof(Models))] public partial string Arch { get; }
                {{Run}}
                }
                """,
            CodeActionEquivalenceKey = ReplaceUnknownValueCodeFix.ClosestKey,
        }.RunAsync();
    }

    // "resnet81" is two edits from both resnet18 and resnet34: the closest first (the message's suggestion), then the other.
    [Theory]
    [InlineData(0, ReplaceUnknownValueCodeFix.ClosestKey, "resnet18")]
    [InlineData(1, ReplaceUnknownValueCodeFix.CandidateKeyPrefix + "resnet34", "resnet34")]
    public async Task Each_close_known_value_is_offered(int index, string equivalenceKey, string replacement)
    {
        await new FixTest<ReplaceUnknownValueCodeFix>
        {
            TestCode = Usings + Models + $$"""
                [Experiment]
                public partial class Sweep
                {
                    [Values({|EXP006:"resnet81"|}, "convnext_atto")]
                    [KnownIn(typeof(Models))]
                    public partial string Arch { get; }
                {{Run}}
                }
                """,
            FixedCode = Usings + Models + $$"""
                [Experiment]
                public partial class Sweep
                {
                    [Values("{{replacement}}", "convnext_atto")]
                    [KnownIn(typeof(Models))]
                    public partial string Arch { get; }
                {{Run}}
                }
                """,
            CodeActionIndex = index,
            CodeActionEquivalenceKey = equivalenceKey,
        }.RunAsync();
    }

    [Fact]
    public async Task A_value_with_no_close_known_value_gets_no_fix()
    {
        const string source = $$"""
            [Experiment]
            public partial class Sweep
            {
                [Values({|EXP006:"alexnet"|})] [KnownIn(typeof(Models))] public partial string Arch { get; }
            {{Run}}
            }
            """;
        await new FixTest<ReplaceUnknownValueCodeFix> { TestCode = Usings + Models + source, FixedCode = Usings + Models + source }.RunAsync();
    }

    [Fact]
    public async Task Fix_all_in_a_document_uses_each_values_own_closest()
    {
        await new FixTest<ReplaceUnknownValueCodeFix>
        {
            TestCode = Usings + Models + $$"""
                [Experiment]
                public partial class Sweep
                {
                    [Values({|EXP006:"resnet81"|}, {|EXP006:"vit_tiyn"|}, {|EXP006:"convnext_ato"|})] [KnownIn(typeof(Models))] public partial string Arch { get; }
                {{Run}}
                }
                """,
            FixedCode = Usings + Models + $$"""
                [Experiment]
                public partial class Sweep
                {
                    [Values("resnet18", "vit_tiny", "convnext_atto")] [KnownIn(typeof(Models))] public partial string Arch { get; }
                {{Run}}
                }
                """,
            CodeActionEquivalenceKey = ReplaceUnknownValueCodeFix.ClosestKey,
        }.RunAsync();
    }

    [Fact]
    public async Task Fix_all_in_the_project_fixes_every_document()
    {
        var test = new FixTest<ReplaceUnknownValueCodeFix> { CodeActionEquivalenceKey = ReplaceUnknownValueCodeFix.ClosestKey };
        test.TestState.Sources.Add(Usings + Models + $$"""
            [Experiment]
            public partial class Sweep
            {
                [Values({|EXP006:"resnet81"|})] [KnownIn(typeof(Models))] public partial string Arch { get; }
            {{Run}}
            }
            """);
        test.TestState.Sources.Add(Usings + $$"""
            [Experiment]
            public partial class Other
            {
                [Values({|EXP006:"vit_tiyn"|})] [KnownIn(typeof(Models))] public partial string Arch { get; }
            {{Run}}
            }
            """);
        test.FixedState.Sources.Add(Usings + Models + $$"""
            [Experiment]
            public partial class Sweep
            {
                [Values("resnet18")] [KnownIn(typeof(Models))] public partial string Arch { get; }
            {{Run}}
            }
            """);
        test.FixedState.Sources.Add(Usings + $$"""
            [Experiment]
            public partial class Other
            {
                [Values("vit_tiny")] [KnownIn(typeof(Models))] public partial string Arch { get; }
            {{Run}}
            }
            """);
        // Fix-all in a document takes one pass per document.
        test.NumberOfFixAllInDocumentIterations = 2;
        await test.RunAsync();
    }
}
