using System.Buffers.Binary;
using Experiments.Reports.Analysis;
using Experiments.Reports.Markdown;
using Experiments.Reports.Plots;
using Experiments.Reports.Tests.Fixtures;
using Experiments.Results;
using SkiaSharp;
using static Experiments.Reports.Tests.Fixtures.SmallSweep;

namespace Experiments.Reports.Tests;

public sealed class PlotTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Plan_names_one_scatter_plot_per_dataset()
    {
        var plots = ReportPlots.Plan(ReportAnalysis.Of(SyntheticSweep.Create()));

        Assert.Equal(["FineTune-pets-scatter.png", "FineTune-planet-scatter.png"], plots.Select(p => p.FileName));
        Assert.Equal(["pets", "planet"], plots.Select(p => p.Dataset));
        Assert.Equal("FineTune · pets: fit time vs error_rate", plots[0].Title);
    }

    [Fact]
    public void Plan_makes_safe_unique_file_names_and_skips_sections_with_nothing_to_plot()
    {
        var parameters = new[]
        {
            new ParameterDefinition("Dataset", "dataset", "string", true, ["a b", "a/b", "../x", "empty"]),
            new ParameterDefinition("Model", "model", "string", true, ["m"]),
        };
        TrialRecord Run(string dataset) => Passed("m", 1, 0.1, parameters: [new("Dataset", dataset), new("Model", "m")]);
        var input = Input(Experiment(parameters: parameters), Run("a b"), Run("a/b"), Run("../x"));

        var plots = ReportPlots.Plan(ReportAnalysis.Of(input));

        Assert.Equal(["Small-a_b-scatter.png", "Small-a_b-scatter-2.png", "Small-_x-scatter.png"], plots.Select(p => p.FileName));
        Assert.Equal(["a b", "a/b", "../x"], plots.Select(p => p.Dataset));
    }

    [Fact]
    public void Without_a_dataset_parameter_there_is_one_plot_for_the_experiment()
    {
        var plot = Assert.Single(ReportPlots.Plan(ReportAnalysis.Of(Input(Experiment(), Passed("a", 1, 0.1), Passed("b", 1, 0.2)))));

        Assert.Null(plot.Dataset);
        Assert.Equal("Small-scatter.png", plot.FileName);
    }

    [Fact]
    public void The_scatter_png_is_a_picture_of_every_family()
    {
        var input = SyntheticSweep.Create();
        var png = ReportPlots.RenderScatterPng(ReportAnalysis.Of(input), ReportPlots.Plan(ReportAnalysis.Of(input))[0]);

        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(ReportPlots.DefaultWidth, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(ReportPlots.DefaultHeight, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.True(png.Length > 20_000, $"A {png.Length}-byte PNG is too small to hold a plot.");

        using var bitmap = SKBitmap.Decode(png);
        var counts = new Dictionary<SKColor, int>();
        foreach (var pixel in bitmap.Pixels)
        {
            counts[pixel] = counts.GetValueOrDefault(pixel) + 1;
        }
        Assert.True(counts.Count > 50, $"Only {counts.Count} distinct colours: the plot looks empty.");
        // The first four Category10 colours: one per family of the catalog (resnet, resnet-d, convnext, vit).
        foreach (var hex in new[] { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728" })
        {
            Assert.True(counts.GetValueOrDefault(SKColor.Parse(hex)) > 30, $"No series drawn in {hex}.");
        }
    }

    [Fact]
    public void The_size_can_be_chosen()
    {
        var input = Input(Experiment(), Passed("a", 1, 0.1), Passed("b", 1, 0.2, fitTime: 20));
        var png = ReportPlots.RenderScatterPng(ReportAnalysis.Of(input), ReportPlots.Plan(ReportAnalysis.Of(input))[0], 640, 400);

        Assert.Equal(640, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(400, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public void A_section_with_nothing_to_plot_cannot_be_rendered()
    {
        var input = Input(Experiment(), WithStatus("a", 1, TrialStatus.Failed, "boom"));

        Assert.Empty(ReportPlots.Plan(ReportAnalysis.Of(input)));
        Assert.Throws<ArgumentException>(() => ReportPlots.RenderScatterPng(ReportAnalysis.Of(input), new ReportPlot(null, "x.png", "x")));
    }

    [Fact]
    public void Families_are_series_in_catalog_order_and_lines_join_model_means_fastest_first()
    {
        var input = SyntheticSweep.Create();
        var data = ReportPlots.ScatterOf(ReportAnalysis.Of(input), "pets")!;

        Assert.Equal(ScatterGrouping.Family, data.Grouping);
        Assert.Equal(["resnet", "resnet-d", "convnext", "vit"], data.Series.Select(s => s.Name));
        Assert.Equal([0, 1, 2, 3], data.Series.Select(s => s.Key));
        var resnet = data.Series[0];
        var model = Assert.Single(resnet.Line);
        Assert.Equal("resnet18", model.Label);
        // Mean over all 5 passed pets runs of resnet18 (one failed), both learning rates.
        var runs = input.Trials.Where(t => t.Status == TrialStatus.Passed && t.TrialId.StartsWith("pets/resnet18/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(5, runs.Length);
        Assert.Equal(runs.Average(t => t.Metrics["error_rate"]), model.Objective, 12);
        Assert.Equal(runs.Average(t => t.Metrics["fit_time"]), model.FitTime, 12);
        Assert.Equal(["resnet18/lr=0.008", "resnet18/lr=0.002"], resnet.Configurations.Select(p => p.Label));
        Assert.Equal("convnext_tiny/lr=0.008", data.Best.Label);
        Assert.Equal(4, data.ParetoFront.Count);
    }

    [Fact]
    public void Each_family_line_joins_its_models_and_every_family_is_drawn()
    {
        var input = FamilySweep.Create();
        var data = ReportPlots.ScatterOf(ReportAnalysis.Of(input), "fashion-mnist")!;

        Assert.Equal(["resnet", "resnet-d", "convnext", "vit", "mobilenet"], data.Series.Select(s => s.Name));
        Assert.Equal([3, 2, 3, 2, 2], data.Series.Select(s => s.Line.Count));
        Assert.All(data.Series, s => Assert.Equal(s.Line.OrderBy(p => p.FitTime).Select(p => p.FitTime), s.Line.Select(p => p.FitTime)));
        Assert.All(data.Series, s => Assert.Equal(2 * s.Line.Count, s.Configurations.Count));

        using var bitmap = SKBitmap.Decode(ReportPlots.RenderScatterPng(ReportAnalysis.Of(input), ReportPlots.Plan(ReportAnalysis.Of(input))[0]));
        var colours = bitmap.Pixels.ToHashSet();
        foreach (var hex in new[] { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd" })
        {
            Assert.Contains(SKColor.Parse(hex), colours);
        }
    }

    [Fact]
    public void A_family_keeps_its_colour_in_a_section_where_another_family_is_missing()
    {
        var input = SyntheticSweep.Create();
        var withoutResnet = input with { Trials = input.Trials.Where(t => !t.TrialId.StartsWith("planet/resnet18/", StringComparison.Ordinal)).ToArray() };

        var data = ReportPlots.ScatterOf(ReportAnalysis.Of(withoutResnet), "planet")!;

        Assert.Equal(["resnet-d", "convnext", "vit"], data.Series.Select(s => s.Name));
        Assert.Equal([1, 2, 3], data.Series.Select(s => s.Key));
    }

    [Fact]
    public void Without_families_the_first_string_parameter_colours_the_configurations()
    {
        var parameters = new[]
        {
            new ParameterDefinition("LearningRate", "lr", "double", false, ["0.1", "0.2"]),
            new ParameterDefinition("Model", "model", "string", true, ["b", "a"]),
        };
        TrialRecord Run(string model, string lr, double objective, double fit)
            => Passed(model, 1, objective, fitTime: fit, parameters: [new("LearningRate", lr), new("Model", model)]);
        var input = Input(Experiment(parameters: parameters),
            Run("a", "0.1", 0.3, 10), Run("a", "0.2", 0.2, 5), Run("b", "0.1", 0.1, 30));

        var data = ReportPlots.ScatterOf(ReportAnalysis.Of(input), null)!;

        Assert.Equal(ScatterGrouping.Parameter, data.Grouping);
        Assert.Equal("Model", data.GroupedBy);
        Assert.Equal(["b", "a"], data.Series.Select(s => s.Name));
        Assert.Equal([5.0, 10.0], data.Series[1].Line.Select(p => p.FitTime));
        Assert.Empty(data.Series[1].Configurations);
    }

    [Fact]
    public void Without_a_string_parameter_there_is_one_series_of_dots()
    {
        var parameters = new[] { new ParameterDefinition("LearningRate", "lr", "double", false, ["0.1", "0.2"]) };
        var input = Input(Experiment(parameters: parameters),
            Passed("x", 1, 0.3, parameters: [new("LearningRate", "0.1")]),
            Passed("x", 1, 0.2, parameters: [new("LearningRate", "0.2")]));

        var data = ReportPlots.ScatterOf(ReportAnalysis.Of(input), null)!;

        Assert.Equal(ScatterGrouping.None, data.Grouping);
        var series = Assert.Single(data.Series);
        Assert.Empty(series.Line);
        Assert.Equal(2, series.Configurations.Count);
    }

    [Fact]
    public void The_report_links_the_plots_it_is_given_and_only_those()
    {
        var input = SyntheticSweep.Create();

        Assert.DoesNotContain("![", MarkdownReport.Render(input));

        var plots = ReportPlots.Plan(ReportAnalysis.Of(input));
        var report = MarkdownReport.Render(ReportAnalysis.Of(input), [plots[1]]);
        Assert.Contains("![FineTune · planet: fit time vs error_rate](FineTune-planet-scatter.png)", report);
        Assert.DoesNotContain("FineTune-pets-scatter.png", report);
    }

    [Fact]
    public void A_plot_file_name_is_escaped_in_the_link()
    {
        var input = Input(Experiment(), Passed("a", 1, 0.1));

        var model = ReportModel.Build(ReportAnalysis.Of(input), [new ReportPlot(null, "my plots/a (1).png", "A [b]")]);

        var image = model.Sections.Single().ScatterPlot!;
        Assert.Equal("my%20plots/a%20%281%29.png", image.Path);
        Assert.Equal("A \\[b\\]", image.Alt);
    }

    [Fact]
    public void When_higher_is_better_the_best_point_is_the_highest()
    {
        var input = Input(Experiment(Goal.Maximize, "accuracy"),
            Passed("a", 1, 0.9, fitTime: 30, objectiveName: "accuracy"),
            Passed("b", 1, 0.8, fitTime: 10, objectiveName: "accuracy"),
            Passed("c", 1, 0.7, fitTime: 20, objectiveName: "accuracy"));

        var data = ReportPlots.ScatterOf(ReportAnalysis.Of(input), null)!;

        Assert.Equal("a", data.Best.Label);
        Assert.False(data.Minimize);
        Assert.Equal(["b", "a"], data.ParetoFront.Select(p => p.Label));
        Assert.True(ReportPlots.RenderScatterPng(ReportAnalysis.Of(input), ReportPlots.Plan(ReportAnalysis.Of(input))[0]).Length > 10_000);
    }
}
