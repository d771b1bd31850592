using System.Text.RegularExpressions;
using Experiments.Reports.Formatting;
using Experiments.Reports.Tests.Fixtures;
using Experiments.Results;
using static Experiments.Reports.Tests.Fixtures.SmallSweep;

namespace Experiments.Reports.Tests;

public sealed partial class MarkdownReportTests
{
    [Fact]
    public void Every_table_row_has_as_many_cells_as_its_header()
    {
        var report = MarkdownReport.Render(SyntheticSweep.Create());

        var tables = 0;
        int? columns = null;
        foreach (var line in report.Split('\n'))
        {
            if (!line.StartsWith('|'))
            {
                columns = null;
                continue;
            }
            var cells = UnescapedPipe().Matches(line).Count - 1;
            if (columns is null)
            {
                tables++;
                columns = cells;
            }
            Assert.True(columns == cells, $"Row with {cells} cells in a table of {columns}: {line}");
        }
        Assert.True(tables >= 10, $"Expected the report's tables, found {tables}.");
    }

    [Fact]
    public void The_model_table_says_which_models_started_from_pretrained_weights_and_only_when_trials_report_it()
    {
        // resnet18 always pretrained, convnext_atto never, resnet34 on shapes only, resnet50 in the first repeat only;
        // the other models report nothing.
        static double? Pretrained(TrialRecord t) => t.Parameter("Arch") switch
        {
            "resnet18" => 1,
            "convnext_atto" => 0,
            "resnet34" => t.Parameter("Dataset") == "shapes" ? 1 : 0,
            "resnet50" => t.Repeat == 1 ? 1 : 0,
            _ => null,
        };
        var input = FamilySweep.Create();
        var trials = input.Trials.Select(t => Pretrained(t) is { } flag
            ? t with { Metrics = new Dictionary<string, double>(t.Metrics) { [MetricNames.Pretrained] = flag } }
            : t).ToArray();

        var report = MarkdownReport.Render(input with { Trials = trials });
        var plain = MarkdownReport.Render(input);

        Assert.Contains("| # | Family | Model | Weights | error_rate |", report);
        Assert.Contains("| resnet | resnet18 | pretrained |", report);
        Assert.Contains("| convnext | convnext_atto | scratch |", report);
        // One section per data set: resnet34 is from scratch on fashion-mnist and pretrained on shapes.
        var sections = report.Split("## Dataset: ");
        Assert.Contains("| resnet | resnet34 | scratch |", sections.Single(x => x.StartsWith("fashion-mnist", StringComparison.Ordinal)));
        Assert.Contains("| resnet | resnet34 | pretrained |", sections.Single(x => x.StartsWith("shapes", StringComparison.Ordinal)));
        Assert.Contains("| resnet | resnet50 | mixed |", report);
        Assert.Contains($"| vit | vit_small | {ReadableFormat.Missing} |", report);
        Assert.DoesNotContain("Weights", plain);
    }

    [Fact]
    public void Error_text_is_escaped_into_one_table_row()
    {
        var report = MarkdownReport.Render(Input(Experiment(),
            Passed("a", 1, 0.1),
            WithStatus("b", 1, TrialStatus.Failed, "bad | value\nsecond line"),
            WithStatus("c", 1, TrialStatus.Failed, "*star* `tick` <b>html</b> [link](x)")));

        Assert.Contains(@"| b#1 | 1 | bad \| value |", report);
        Assert.DoesNotContain("second line", report);
        Assert.Contains(@"| c#1 | 1 | \*star\* \`tick\` \<b\>html\</b\> \[link\](x) |", report);
    }

    [Fact]
    public void Family_and_dataset_appear_only_when_the_experiment_has_them()
    {
        var plain = MarkdownReport.Render(Input(Experiment(), Passed("a", 1, 0.1), Passed("b", 1, 0.2)));
        Assert.DoesNotContain("Family", plain);
        Assert.DoesNotContain("## Dataset:", plain);
        Assert.Contains("## Results", plain);

        var full = MarkdownReport.Render(SyntheticSweep.Create());
        Assert.Contains("| # | Configuration | Family | error_rate |", full);
        Assert.Contains("## Dataset: pets", full);
        Assert.Contains("## Dataset: planet", full);
    }

    [Fact]
    public void Empty_sections_render_a_sentence_instead_of_an_empty_table()
    {
        var report = MarkdownReport.Render(Input(Experiment(), WithStatus("a", 1, TrialStatus.Pending)));

        Assert.Contains("No passed trials yet.", report);
        Assert.Contains("No trial failed.", report);
        Assert.Contains("Not finished: 1 pending, 0 interrupted.", report);
        Assert.DoesNotContain("|--", report);
    }

    [Fact]
    public void Mixed_builds_produce_a_warning_listing_each_build()
    {
        var report = MarkdownReport.Render(Input(Experiment(),
            Passed("a", 1, 0.1, build: "one"), Passed("a", 2, 0.1, build: "two"), Passed("b", 1, 0.1, build: "two")));

        Assert.Contains("> **Warning:** the passed trials come from 2 different builds", report);
        Assert.Contains("> - two (revision abc123): 2 trials", report);
        Assert.Contains("> - one (revision abc123): 1 trial", report);
    }

    [Fact]
    public void A_template_override_replaces_the_default()
    {
        var report = MarkdownReport.Render(SyntheticSweep.Create(),
            "Custom {{ experiment.name }}: {{ runs.passed }} passed, best {{ sections[0].leaderboard[0].configuration }}");

        Assert.Equal("Custom FineTune: 35 passed, best convnext_tiny/lr=0.008", report);
    }

    [Fact]
    public void The_default_template_is_embedded_and_used_without_an_override()
    {
        Assert.Contains("{{ experiment.name }}", MarkdownReport.DefaultTemplate);
        Assert.Equal(
            MarkdownReport.Render(SyntheticSweep.Create()),
            MarkdownReport.Render(SyntheticSweep.Create(), MarkdownReport.DefaultTemplate));
    }

    [Fact]
    public void A_broken_template_reports_line_and_column()
    {
        var exception = Assert.Throws<ReportTemplateException>(
            () => MarkdownReport.Render(SyntheticSweep.Create(), "# Title\n\n{{ for entry in }}\n{{ end }}\n"));

        Assert.IsAssignableFrom<InvalidOperationException>(exception);
        Assert.Equal(3, exception.Line);
        Assert.Equal(17, exception.Column);
        Assert.StartsWith("Report template error at line 3, column 17: ", exception.Message);
        Assert.Contains("Expecting <expression>", exception.Message);
    }

    [Fact]
    public void A_failing_template_reports_where_it_failed()
    {
        var exception = Assert.Throws<ReportTemplateException>(
            () => MarkdownReport.Render(SyntheticSweep.Create(), "ok\n  {{ include 'secrets.txt' }}"));

        Assert.Equal(2, exception.Line);
        Assert.Contains("TemplateLoader", exception.Message);
    }

    [Fact]
    public void A_runaway_loop_is_stopped_by_the_loop_limit()
    {
        var exception = Assert.Throws<ReportTemplateException>(
            () => MarkdownReport.Render(SyntheticSweep.Create(), "{{ while true; end }}"));

        Assert.Contains("limit", exception.Message);
    }

    [Fact]
    public void A_slow_template_is_stopped_by_the_wall_clock_limit()
    {
        // Within every count limit (Scriban counts every iteration, built-in functions' included, against one limit):
        // each step rewrites a 1 MB string, and 150,000 steps would run for minutes.
        const string template = "# Slow\n{{ s = '' | string.pad_left 1000000; for i in 1..150000; t = s | string.replace ' ' 'x'; end }}";
        var started = System.Diagnostics.Stopwatch.StartNew();

        var exception = Assert.Throws<ReportTemplateException>(
            () => MarkdownReport.Render(Analysis.ReportAnalysis.Of(SyntheticSweep.Create()), [], template, TimeSpan.FromMilliseconds(300)));

        Assert.Equal(2, exception.Line);
        Assert.Contains("longer than 0.3 s", exception.Message);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"stopped after {started.Elapsed}");
    }

    [Fact]
    public void Regular_expressions_in_templates_have_a_short_time_limit()
    {
        // Catastrophic backtracking: (a+)+b against 40 a's never finishes on its own.
        var exception = Assert.Throws<ReportTemplateException>(
            () => MarkdownReport.Render(SyntheticSweep.Create(), "{{ 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' | regex.match '(a+)+b' }}"));

        Assert.Equal((1, 50), (exception.Line, exception.Column));
        Assert.Contains("a regular expression ran longer than 1 s", exception.Message);
    }

    [Fact]
    public void Unbounded_recursion_is_stopped_by_the_recursion_limit()
    {
        var exception = Assert.Throws<ReportTemplateException>(
            () => MarkdownReport.Render(SyntheticSweep.Create(), "{{ func f; ret f; end; f }}"));

        Assert.Contains("recursive", exception.Message);
    }

    [Theory]
    [InlineData("{{ experiment.GetType }}")]
    [InlineData("{{ experiment.get_type }}")]
    [InlineData("{{ experiment.equality_contract }}")]
    [InlineData("{{ sections[0].leaderboard[0].GetHashCode }}")]
    [InlineData("{{ environment.to_string }}")]
    [InlineData("{{ experiment.trials }}")]
    [InlineData("{{ trials }}")]
    [InlineData("{{ experiment.definition }}")]
    public void A_template_sees_only_model_data(string template)
        => Assert.Equal(string.Empty, MarkdownReport.Render(SyntheticSweep.Create(), template));

    [Fact]
    public void A_member_of_an_unknown_variable_is_a_positioned_error_not_data()
    {
        var exception = Assert.Throws<ReportTemplateException>(
            () => MarkdownReport.Render(SyntheticSweep.Create(), "{{ input.trials }}"));

        Assert.Equal((1, 10), (exception.Line, exception.Column));
    }

    [Fact]
    public void The_model_holds_plain_values_only()
    {
        var types = MarkdownReport.Render(SyntheticSweep.Create(),
            "{{ experiment | object.typeof }} {{ sections | object.typeof }} {{ runs.passed | object.typeof }} {{ experiment.name | object.typeof }}");

        Assert.Equal("object array number string", types);
    }

    [Fact]
    public void Md_escape_is_available_to_templates()
        => Assert.Equal(@"a\|b", MarkdownReport.Render(SyntheticSweep.Create(), "{{ md_escape 'a|b' }}"));

    [Fact]
    public void Headers_give_counts_device_revision_and_rules()
    {
        var report = MarkdownReport.Render(SyntheticSweep.Create());

        Assert.Contains("- **Matrix:** 42 trials (14 configurations × 3 repeats)", report);
        Assert.Contains("- **Removed by rules:** 2 combinations\n  - Exclude Arch = vit_small with LearningRate = 0.008", report);
        Assert.Contains("- **Trials:** 35 passed, 3 failed, 2 pending, 1 interrupted, 1 running", report);
        Assert.Contains("- **Device:** cuda:0\n", report);
        Assert.Contains("- **Date:** 2025-03-14 09:30 UTC", report);
        Assert.Contains("- **Source revision:** 9c1d0e7", report);
    }

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex UnescapedPipe();
}
