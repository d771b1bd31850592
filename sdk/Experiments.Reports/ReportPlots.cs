using System.Text;
using Experiments.Reports.Analysis;
using Experiments.Reports.Plots;

namespace Experiments.Reports;

/// <summary>
/// The plots of a report: one scatter plot of fit time against the objective per dataset section, coloured by model
/// family, as PNG. <see cref="Plan"/> names them (pure); <see cref="RenderScatterPng"/> draws one (no file IO). Both read
/// the <see cref="ReportAnalysis"/> the Markdown is rendered from; the caller writes the bytes next to the Markdown file
/// and passes the plots it wrote to <see cref="MarkdownReport.Render(ReportAnalysis, IReadOnlyList{ReportPlot}, string?)"/>,
/// so the report links exactly the images that exist.
/// </summary>
public static class ReportPlots
{
    /// <summary>Default image width, in pixels.</summary>
    public const int DefaultWidth = 1100;

    /// <summary>Default image height, in pixels.</summary>
    public const int DefaultHeight = 650;

    /// <summary>
    /// The scatter plots the report has: one per section with at least one configuration that has both the objective
    /// and a fit time, named <c>{Experiment}-{dataset}-scatter.png</c> (or <c>{Experiment}-scatter.png</c> without a
    /// dataset parameter), with only letters, digits, <c>.</c>, <c>-</c> and <c>_</c> in it, so the Markdown link needs
    /// no escaping.
    /// </summary>
    public static IReadOnlyList<ReportPlot> Plan(ReportAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var experiment = analysis.Input.Experiment;
        var plots = new List<ReportPlot>();
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var section in analysis.Sections.Where(s => s.Scatter is not null))
        {
            var dataset = section.Dataset;
            var stem = SafeName(experiment.Name) + (dataset is null ? string.Empty : "-" + SafeName(dataset)) + "-scatter";
            // Datasets that differ only in characters the file name drops ("a b", "a_b") still get one file each.
            var name = stem + ".png";
            for (var n = 2; !taken.Add(name); n++)
            {
                name = $"{stem}-{n}.png";
            }
            plots.Add(new ReportPlot(dataset, name, ScatterTitle(experiment.Name, dataset, experiment.Objective)));
        }
        return plots;
    }

    /// <summary>Draws the scatter plot of <paramref name="plot"/>'s section as a PNG image.</summary>
    /// <exception cref="ArgumentException">The section has nothing to plot (it is not one of <see cref="Plan"/>'s).</exception>
    public static byte[] RenderScatterPng(ReportAnalysis analysis, ReportPlot plot, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 200);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 150);
        var data = ScatterOf(analysis, plot.Dataset)
            ?? throw new ArgumentException($"The section '{plot.Dataset ?? "(all)"}' has no configuration with both {analysis.Input.Experiment.Objective} and a fit time.", nameof(plot));
        return ScatterRenderer.Png(data, plot.Title, width, height);
    }

    internal static ScatterData? ScatterOf(ReportAnalysis analysis, string? dataset) => analysis.SectionOf(dataset)?.Scatter;

    private static string ScatterTitle(string experiment, string? dataset, string objective)
        => dataset is null
            ? $"{experiment}: fit time vs {objective}"
            : $"{experiment} · {dataset}: fit time vs {objective}";

    private static string SafeName(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }
        var name = builder.ToString().Trim('.');
        return name.Length == 0 ? "_" : name;
    }
}
