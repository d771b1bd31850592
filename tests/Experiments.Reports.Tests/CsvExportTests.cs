using System.Globalization;
using CsvHelper;
using Experiments.Reports.Tests.Fixtures;
using Experiments.Results;
using static Experiments.Reports.Tests.Fixtures.SmallSweep;

namespace Experiments.Reports.Tests;

public sealed class CsvExportTests
{
    [Fact]
    public void Columns_follow_the_lesson_notebooks_export()
    {
        var rows = Read(SyntheticSweep.Experiment, SyntheticSweep.Trials());

        Assert.Equal(
            [
                "experiment", "trial_id", "configuration", "repeat", "status",
                "Dataset", "Arch", "LearningRate", "family", "model",
                "error_rate", "valid_loss", "train_loss", "fit_time", "peak_memory", "baseline_error_rate",
                "fit_budget", "tta_error_rate",
                "duration_s", "attempt", "worker", "build_id", "source_revision", "error",
            ],
            rows[0]);
        Assert.Equal(42, rows.Count - 1);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("+1e-3", "+1e-3")]
    [InlineData("resnet18", "resnet18")]
    [InlineData("", "")]
    public void Text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised(string value, string written)
        => Assert.Equal(written, CsvExport.Text(value));

    [Fact]
    public void An_error_message_starting_like_a_formula_is_written_as_text()
    {
        var trials = SyntheticSweep.Trials().ToList();
        trials[0] = trials[0] with { Error = "=1+1" };

        var rows = Read(SyntheticSweep.Experiment, trials);

        Assert.Equal("'=1+1", rows[1][^1]);
    }

    [Fact]
    public void Every_trial_is_a_row_whatever_its_status()
    {
        var rows = Read(SyntheticSweep.Experiment, SyntheticSweep.Trials());

        var statuses = rows.Skip(1).GroupBy(r => r[4]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(35, statuses["passed"]);
        Assert.Equal(3, statuses["failed"]);
        Assert.Equal(2, statuses["pending"]);
        Assert.Equal(1, statuses["running"]);
        Assert.Equal(1, statuses["interrupted"]);
    }

    [Fact]
    public void Values_round_trip_including_multi_line_errors()
    {
        var trials = SyntheticSweep.Trials();
        var rows = Read(SyntheticSweep.Experiment, trials);
        var header = rows[0];

        foreach (var (trial, row) in trials.Zip(rows.Skip(1)))
        {
            Assert.Equal(trial.TrialId, row[header.IndexOf("trial_id")]);
            Assert.Equal(trial.Error ?? string.Empty, row[header.IndexOf("error")]);
            if (trial.Metrics.TryGetValue("error_rate", out var error))
            {
                Assert.Equal(error, double.Parse(row[header.IndexOf("error_rate")], CultureInfo.InvariantCulture));
            }
        }
        var convnext = rows.Single(r => r[1] == "pets/convnext_tiny/lr=0.008#1");
        Assert.Equal("convnext", convnext[header.IndexOf("family")]);
        Assert.Equal("convnext_tiny", convnext[header.IndexOf("model")]);
        Assert.Equal("pets/convnext_tiny/lr=0.008", convnext[header.IndexOf("configuration")]);
    }

    [Fact]
    public void Numbers_are_invariant_and_shortest_round_trip_whatever_the_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            var trial = Passed("a", 1, 0.1 + 0.2, fitTime: 1234.5);
            var rows = Read(Experiment(), [trial]);
            Assert.Equal("0.30000000000000004", rows[1][rows[0].IndexOf("loss")]);
            Assert.Equal("1234.5", rows[1][rows[0].IndexOf("fit_time")]);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Without_family_metadata_there_are_no_family_columns()
    {
        var rows = Read(Experiment(), [Passed("a", 1, 0.1)]);

        Assert.DoesNotContain("family", rows[0]);
        Assert.DoesNotContain("model", rows[0]);
        Assert.Contains("Model", rows[0]);
    }

    [Fact]
    public void A_parameter_named_like_a_fixed_column_gets_a_distinct_header()
    {
        var experiment = Experiment(parameters: [new ParameterDefinition("status", "status", "string", true, ["x"])]);
        var rows = Read(experiment, [Passed("", 1, 0.1, parameters: [new("status", "x")])]);

        Assert.Single(rows[0], "status");
        Assert.Contains("param_status", rows[0]);
        Assert.Equal("x", rows[1][rows[0].IndexOf("param_status")]);
        Assert.Equal("passed", rows[1][rows[0].IndexOf("status")]);
    }

    [Fact]
    public void The_writer_stays_open()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        CsvExport.Write(writer, Experiment(), []);
        writer.Write("more");
        Assert.EndsWith("\nmore", writer.ToString());
    }

    private static List<List<string>> Read(ExperimentInfo experiment, IReadOnlyList<TrialRecord> trials)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        CsvExport.Write(writer, experiment, trials);
        using var reader = new CsvParser(new StringReader(writer.ToString()), CultureInfo.InvariantCulture);
        var rows = new List<List<string>>();
        while (reader.Read())
        {
            rows.Add([.. reader.Record!]);
        }
        return rows;
    }
}
