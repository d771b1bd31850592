using Experiments.Reports.Analysis;
using Experiments.Reports.Formatting;
using Experiments.Reports.Markdown;
using Experiments.Reports.Tests.Fixtures;

namespace Experiments.Reports.Tests;

/// <summary>The report is analysed once: the Markdown tables and the plots render the same numbers.</summary>
public sealed class AnalysisTests
{
    [Fact]
    public void The_plots_model_means_are_the_model_tables_numbers()
    {
        var analysis = ReportAnalysis.Of(FamilySweep.Create());
        var model = ReportModel.Build(analysis, []);

        foreach (var section in model.Sections)
        {
            var scatter = ReportPlots.ScatterOf(analysis, section.Dataset)!;
            var points = scatter.Series.SelectMany(s => s.Line).ToDictionary(p => MarkdownText.Escape(p.Label));
            Assert.Equal(section.ModelCount, points.Count);
            foreach (var entry in section.Models)
            {
                Assert.Equal(entry.Objective!.Value, points[entry.Model].Objective, 12);
                Assert.Equal(entry.FitTime!.Value, points[entry.Model].FitTime, 12);
            }
        }
    }

    [Fact]
    public void The_plots_front_and_best_are_the_tables_front_and_leader()
    {
        var analysis = ReportAnalysis.Of(SyntheticSweep.Create());
        var model = ReportModel.Build(analysis, []);

        foreach (var section in model.Sections.Where(s => s.Leaderboard.Count > 0))
        {
            var scatter = ReportPlots.ScatterOf(analysis, section.Dataset)!;
            Assert.Equal(section.ParetoFront.Select(e => e.Configuration), scatter.ParetoFront.Select(p => MarkdownText.Escape(p.Label)));
            Assert.Equal(section.Leaderboard[0].Configuration, MarkdownText.Escape(scatter.Best.Label));
        }
    }

    [Fact]
    public void One_section_per_declared_dataset_even_without_results()
    {
        var input = SyntheticSweep.Create();
        var analysis = ReportAnalysis.Of(input);
        var datasets = input.Experiment.Parameters.Single(p => p.Name == "Dataset").Values;
        Assert.Equal(datasets, analysis.Sections.Select(s => s.Dataset));
        Assert.Same(analysis.Sections[0].Scatter, ReportPlots.ScatterOf(analysis, datasets[0]));
    }
}
