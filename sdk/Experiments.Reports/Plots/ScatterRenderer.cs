using System.Globalization;
using Experiments.Reports.Analysis;
using ScottPlot;
using SkiaSharp;

namespace Experiments.Reports.Plots;

/// <summary>
/// Draws a <see cref="ScatterData"/> with ScottPlot: fit time (x) against the objective (y), one colour (and, past ten
/// colours, one marker shape) per series, its line fastest first, configuration dots, a ring on #1, the Pareto front
/// dashed, and the legend outside the data area so it never covers a point. No point carries a text label: labels
/// of neighbouring points would overlap, and the legend names every series.
/// </summary>
internal static class ScatterRenderer
{
    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    private static readonly MarkerShape[] Shapes =
    [
        MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond,
        MarkerShape.FilledTriangleDown,
    ];

    /// <summary>
    /// Sans-serif families to look for, in order. ScottPlot's own choice (<see cref="Fonts.Sans"/>) can be a serif font
    /// where fontconfig is absent, as with SkiaSharp's no-dependency Linux build.
    /// </summary>
    private static readonly string[] SansFamilies =
        ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Segoe UI", "Verdana", "FreeSans"];

    private static readonly Lazy<string> Font = new(() =>
    {
        var installed = SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return SansFamilies.FirstOrDefault(installed.Contains) ?? Fonts.Sans;
    });

    /// <summary>Longest legend entry, in characters (a long configuration label would squeeze the data area).</summary>
    private const int LegendTextLimit = 40;

    public static byte[] Png(ScatterData data, string title, int width, int height)
    {
        var plot = new Plot();
        try
        {
            Draw(plot, data, title);
            return plot.GetImageBytes(width, height, ImageFormat.Png);
        }
        finally
        {
            plot.Dispose();
        }
    }

    private static void Draw(Plot plot, ScatterData data, string title)
    {
        plot.Font.Set(Font.Value);
        foreach (var series in data.Series)
        {
            var color = Palette.GetColor(series.Key);
            var shape = Shapes[series.Key / Palette.Colors.Length % Shapes.Length];
            var withLine = series.Line.Count > 0;

            if (series.Configurations.Count > 0)
            {
                var dots = plot.Add.ScatterPoints(
                    series.Configurations.Select(p => p.FitTime).ToArray(),
                    series.Configurations.Select(p => p.Objective).ToArray(),
                    withLine ? color.WithOpacity(0.45) : color);
                dots.MarkerShape = shape;
                dots.MarkerSize = withLine ? 5 : 8;
                // Without a line the dots are the series: they carry its legend entry.
                dots.LegendText = withLine ? string.Empty : Shorten(series.Name);
            }

            if (withLine)
            {
                var line = plot.Add.Scatter(
                    series.Line.Select(p => p.FitTime).ToArray(),
                    series.Line.Select(p => p.Objective).ToArray(),
                    color);
                line.LineWidth = 2;
                line.MarkerShape = shape;
                line.MarkerSize = 9;
                line.LegendText = Shorten(series.Name);
            }
        }

        if (data.ParetoFront.Count > 1)
        {
            var front = plot.Add.Scatter(
                data.ParetoFront.Select(p => p.FitTime).ToArray(),
                data.ParetoFront.Select(p => p.Objective).ToArray(),
                Colors.Black.WithOpacity(0.55));
            front.ConnectStyle = ConnectStyle.StepHorizontal;
            front.LinePattern = LinePattern.Dashed;
            front.LineWidth = 1;
            front.MarkerSize = 0;
            front.LegendText = "Pareto front";
        }

        if (data.BaselineInView && data.Baseline is { } baselineValue)
        {
            var baseline = plot.Add.HorizontalLine(baselineValue, 1.5f, Colors.Red.WithOpacity(0.7), LinePattern.Dotted);
            baseline.LegendText = "baseline (ignores the image)";
        }

        var best = plot.Add.Marker(data.Best.FitTime, data.Best.Objective, MarkerShape.OpenCircle, 20, Colors.Black);
        best.MarkerStyle.LineWidth = 2;
        best.LegendText = Shorten("#1: " + data.Best.Label);

        plot.Title(title);
        plot.XLabel("Fit time (s)");
        plot.YLabel($"{data.Objective} ({(data.Minimize ? "lower" : "higher")} is better)");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Tick };
        // Fewer labels on the objective axis: its ticks are long decimals that otherwise stack up.
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Tick, TickDensity = 0.6 };
        plot.Axes.Margins(0.08, 0.1);
        plot.ShowLegend(Edge.Right);
    }

    /// <summary>Tick labels in invariant culture, so a plot looks the same on every machine.</summary>
    private static string Tick(double value) => Math.Round(value, 10).ToString("G6", CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length <= LegendTextLimit ? text : text[..(LegendTextLimit - 1)] + "…";
}
