using Experiments.Reports.Analysis;
using Experiments.Reports.Tests.Fixtures;
using Experiments.Reports.Tests.Infrastructure;

namespace Experiments.Reports.Tests;

/// <summary>The report of an adaptive search (successive halving), as the runner renders it.</summary>
public sealed class SearchSnapshotTests
{
    [Fact]
    public void Report_of_a_finished_search_compared_with_its_grid()
        => Snapshot.Match(Render(AdaptiveSweep.Create(finished: true, withGrid: true)), "Halving.report", "md");

    [Fact]
    public void Report_of_a_search_in_progress_without_a_grid()
        => Snapshot.Match(Render(AdaptiveSweep.Create(finished: false, withGrid: false)), "Halving.in-progress.report", "md");

    private static string Render(ReportInput input)
    {
        var analysis = ReportAnalysis.Of(input);
        return MarkdownReport.Render(analysis, ReportPlots.Plan(analysis));
    }
}
