using System.Globalization;
using Experiments.Reports.Analysis;
using Experiments.Reports.Tests.Fixtures;
using Experiments.Reports.Tests.Infrastructure;

namespace Experiments.Reports.Tests;

public sealed class SnapshotTests
{
    /// <summary>As the runner renders it: with the scatter plots it wrote next to the report.</summary>
    [Fact]
    public void Markdown_report_of_the_synthetic_sweep()
    {
        var input = SyntheticSweep.Create();
        var analysis = ReportAnalysis.Of(input);
        Snapshot.Match(MarkdownReport.Render(analysis, ReportPlots.Plan(analysis)), "FineTune.report", "md");
    }

    [Fact]
    public void Csv_export_of_the_synthetic_sweep()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        CsvExport.Write(writer, SyntheticSweep.Experiment, SyntheticSweep.Trials());
        Snapshot.Match(writer.ToString(), "FineTune.export", "csv");
    }

    [Fact]
    public void Rendering_does_not_depend_on_the_current_culture()
    {
        var invariant = MarkdownReport.Render(SyntheticSweep.Create());
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal(invariant, MarkdownReport.Render(SyntheticSweep.Create()));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
