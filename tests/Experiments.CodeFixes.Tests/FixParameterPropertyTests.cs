using Experiments.CodeFixes.Fixes;
using Experiments.CodeFixes.Tests.Infrastructure;
using static Experiments.CodeFixes.Tests.Infrastructure.Sources;

namespace Experiments.CodeFixes.Tests;

/// <summary>EXP012: a parameter property becomes <c>partial T X { get; }</c>, keeping its attributes and accessibility.</summary>
public sealed class FixParameterPropertyTests
{
    [Theory]
    [InlineData("[Values(1, 2)] public int {|EXP012:X|} { get; set; }", "[Values(1, 2)] public partial int X { get; }")]
    [InlineData("[Values(1, 2)] public partial int {|EXP012:X|} { get; set; }", "[Values(1, 2)] public partial int X { get; }")]
    [InlineData("[Values(1, 2)] public static partial int {|EXP012:X|} { get; }", "[Values(1, 2)] public partial int X { get; }")]
    [InlineData("[Values(1, 2)] public int {|EXP012:X|} { get; private set; } = 1;", "[Values(1, 2)] public partial int X { get; }")]
    [InlineData("[Values(1, 2)] internal int {|EXP012:X|} { get; init; }", "[Values(1, 2)] internal partial int X { get; }")]
    [InlineData("[Values(1, 2)] public int {|EXP012:X|} => 1;", "[Values(1, 2)] public partial int X { get; }")]
    [InlineData("[Values(\"a\")] public static string {|EXP012:Name|} { get { return \"a\"; } }", "[Values(\"a\")] public partial string Name { get; }")]
    public async Task The_property_becomes_a_partial_getter(string before, string after)
    {
        await new FixTest<FixParameterPropertyCodeFix>
        {
            TestCode = Usings + $"[Experiment]\npublic partial class Sweep\n{{\n    {before}\n{Run}\n}}\n",
            FixedCode = Usings + $"[Experiment]\npublic partial class Sweep\n{{\n    {after}\n{Run}\n}}\n",
            CodeActionEquivalenceKey = FixParameterPropertyCodeFix.Key,
        }.RunAsync();
    }

    [Fact]
    public async Task Attributes_comments_and_layout_around_the_declaration_stay()
    {
        await new FixTest<FixParameterPropertyCodeFix>
        {
            TestCode = Usings + Models + $$"""
                [Experiment]
                public partial class Sweep
                {
                    /// <summary>The backbone.</summary>
                    [Values("resnet18", "vit_tiny")]
                    [KnownIn(typeof(Models))]
                    public string {|EXP012:Arch|} { get; set; } = "resnet18"; // the default

                {{Run}}
                }
                """,
            FixedCode = Usings + Models + $$"""
                [Experiment]
                public partial class Sweep
                {
                    /// <summary>The backbone.</summary>
                    [Values("resnet18", "vit_tiny")]
                    [KnownIn(typeof(Models))]
                    public partial string Arch { get; } // the default

                {{Run}}
                }
                """,
            CodeActionEquivalenceKey = FixParameterPropertyCodeFix.Key,
        }.RunAsync();
    }

    [Fact]
    public async Task Fix_all_in_the_project_fixes_every_document()
    {
        var test = new FixTest<FixParameterPropertyCodeFix> { CodeActionEquivalenceKey = FixParameterPropertyCodeFix.Key };
        test.TestState.Sources.Add(Usings + $$"""
            [Experiment]
            public partial class First
            {
                [Values(1, 2)] public int {|EXP012:A|} { get; set; }
                [Values(3, 4)] public static partial int {|EXP012:B|} { get; }
            {{Run}}
            }
            """);
        test.TestState.Sources.Add(Usings + $$"""
            [Experiment]
            public partial class Second
            {
                [Values(0.1, 0.01)] public double {|EXP012:Lr|} { get; init; }
            {{Run}}
            }
            """);
        test.FixedState.Sources.Add(Usings + $$"""
            [Experiment]
            public partial class First
            {
                [Values(1, 2)] public partial int A { get; }
                [Values(3, 4)] public partial int B { get; }
            {{Run}}
            }
            """);
        test.FixedState.Sources.Add(Usings + $$"""
            [Experiment]
            public partial class Second
            {
                [Values(0.1, 0.01)] public partial double Lr { get; }
            {{Run}}
            }
            """);
        test.NumberOfFixAllInDocumentIterations = 2;
        await test.RunAsync();
    }
}
