using Experiments.CodeFixes.Fixes;
using Experiments.CodeFixes.Tests.Infrastructure;
using static Experiments.CodeFixes.Tests.Infrastructure.Sources;

namespace Experiments.CodeFixes.Tests;

/// <summary>EXP004: the repeated value is removed with its comma.</summary>
public sealed class RemoveDuplicateValueTests
{
    [Theory]
    [InlineData("[Values(1, 2, {|EXP004:1|})] public partial int X { get; }", "[Values(1, 2)] public partial int X { get; }")]
    [InlineData("[Values(0.1, {|EXP004:0.10|}, 0.2)] public partial double X { get; }", "[Values(0.1, 0.2)] public partial double X { get; }")]
    [InlineData("[Values(new object[] { 5L, {|EXP004:5L|} })] public partial long X { get; }", "[Values(new object[] { 5L })] public partial long X { get; }")]
    [InlineData("[Values([2, 3, {|EXP004:2|}])] public partial int X { get; }", "[Values([2, 3])] public partial int X { get; }")]
    [InlineData("[Values(\"a\", \"b\", {|EXP004:\"a\"|}, Key = \"x\")] public partial string X { get; }", "[Values(\"a\", \"b\", Key = \"x\")] public partial string X { get; }")]
    public async Task The_repeat_goes(string before, string after)
    {
        await new FixTest<RemoveDuplicateValueCodeFix>
        {
            TestCode = Usings + $"[Experiment]\npublic partial class Sweep\n{{\n    {before}\n{Run}\n}}\n",
            FixedCode = Usings + $"[Experiment]\npublic partial class Sweep\n{{\n    {after}\n{Run}\n}}\n",
            CodeActionEquivalenceKey = RemoveDuplicateValueCodeFix.Key,
        }.RunAsync();
    }

    [Fact]
    public async Task A_repeat_on_its_own_line_takes_its_line_with_it()
    {
        await new FixTest<RemoveDuplicateValueCodeFix>
        {
            TestCode = Usings + $$"""
                [Experiment]
                public partial class Sweep
                {
                    [Values(
                        "resnet18",
                        "resnet34",
                        {|EXP004:"resnet18"|})]
                    public partial string Arch { get; }
                {{Run}}
                }
                """,
            FixedCode = Usings + $$"""
                [Experiment]
                public partial class Sweep
                {
                    [Values(
                        "resnet18",
                        "resnet34")]
                    public partial string Arch { get; }
                {{Run}}
                }
                """,
            CodeActionEquivalenceKey = RemoveDuplicateValueCodeFix.Key,
        }.RunAsync();
    }

    [Fact]
    public async Task Fix_all_removes_neighbouring_repeats_together()
    {
        await new FixTest<RemoveDuplicateValueCodeFix>
        {
            TestCode = Usings + $$"""
                [Experiment]
                public partial class Sweep
                {
                    [Values(1, {|EXP004:1|}, {|EXP004:1|}, 2)] public partial int X { get; }
                    [Values("a", {|EXP004:"a"|})] public partial string Y { get; }
                {{Run}}
                }
                """,
            FixedCode = Usings + $$"""
                [Experiment]
                public partial class Sweep
                {
                    [Values(1, 2)] public partial int X { get; }
                    [Values("a")] public partial string Y { get; }
                {{Run}}
                }
                """,
            CodeActionEquivalenceKey = RemoveDuplicateValueCodeFix.Key,
            // One at a time: each of the three repeats is its own pass.
            NumberOfIncrementalIterations = 3,
        }.RunAsync();
    }

    [Fact]
    public async Task Fix_all_in_the_project_fixes_every_document()
    {
        var test = new FixTest<RemoveDuplicateValueCodeFix> { CodeActionEquivalenceKey = RemoveDuplicateValueCodeFix.Key };
        test.TestState.Sources.Add(Usings + $"[Experiment]\npublic partial class First\n{{\n    [Values(1, {{|EXP004:1|}})] public partial int X {{ get; }}\n{Run}\n}}\n");
        test.TestState.Sources.Add(Usings + $"[Experiment]\npublic partial class Second\n{{\n    [Values(true, false, {{|EXP004:true|}})] public partial bool X {{ get; }}\n{Run}\n}}\n");
        test.FixedState.Sources.Add(Usings + $"[Experiment]\npublic partial class First\n{{\n    [Values(1)] public partial int X {{ get; }}\n{Run}\n}}\n");
        test.FixedState.Sources.Add(Usings + $"[Experiment]\npublic partial class Second\n{{\n    [Values(true, false)] public partial bool X {{ get; }}\n{Run}\n}}\n");
        test.NumberOfFixAllInDocumentIterations = 2;
        await test.RunAsync();
    }
}
