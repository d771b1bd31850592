using System.Text;
using Experiments.Reports.Model;
using Experiments.Reports.Plots;

namespace Experiments.Reports;

/// <summary>
/// The plots of a report: one scatter plot of fit time against the objective per dataset section, coloured by model
/// family, as PNG. <see cref="Plan"/> names them (pure); <see cref="RenderScatterPng"/> draws one (no file IO). The
/// caller writes the bytes next to the Markdown file and passes the plots it wrote in <see cref="ReportInput.Plots"/>,
/// so the report links exactly the images that exist.
/// </summary>
public static class ReportPlots
{
    /// <summary>Default image width, in pixels.</summary>
    public const int DefaultWidth = 1100;

    /// <summary>Default image height, in pixels.</summary>
    public const int DefaultHeight = 650;

    /// <summary>
    /// The scatter plots the report of <paramref name="input"/> has: one per section with at least one configuration that
    /// has both the objective and a fit time, named <c>{Experiment}-{dataset}-scatter.png</c> (or
    /// <c>{Experiment}-scatter.png</c> without a dataset parameter), with only letters, digits, <c>.</c>, <c>-</c> and
    /// <c>_</c> in it, so the Markdown link needs no escaping.
    /// </summary>
    public static IReadOnlyList<ReportPlot> Plan(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = new SweepContext(input.Experiment);
        var plots = new List<ReportPlot>();
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (dataset, passed) in ReportModelBuilder.Sections(context, input.Trials))
        {
            if (ScatterData.Of(context, passed) is null)
            {
                continue;
            }
            var stem = SafeName(input.Experiment.Name) + (dataset is null ? string.Empty : "-" + SafeName(dataset)) + "-scatter";
            // Datasets that differ only in characters the file name drops ("a b", "a_b") still get one file each.
            var name = stem + ".png";
            for (var n = 2; !taken.Add(name); n++)
            {
                name = $"{stem}-{n}.png";
            }
            plots.Add(new ReportPlot(dataset, name, ScatterTitle(input.Experiment.Name, dataset, input.Experiment.Objective)));
        }
        return plots;
    }

    /// <summary>Draws the scatter plot of <paramref name="plot"/>'s section as a PNG image.</summary>
    /// <exception cref="ArgumentException">The section has nothing to plot (it is not one of <see cref="Plan"/>'s).</exception>
    public static byte[] RenderScatterPng(ReportInput input, ReportPlot plot, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 200);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 150);
        var data = ScatterOf(input, plot.Dataset)
            ?? throw new ArgumentException($"The section '{plot.Dataset ?? "(all)"}' has no configuration with both {input.Experiment.Objective} and a fit time.", nameof(plot));
        return ScatterRenderer.Png(data, plot.Title, width, height);
    }

    internal static ScatterData? ScatterOf(ReportInput input, string? dataset)
    {
        var context = new SweepContext(input.Experiment);
        return ReportModelBuilder.Sections(context, input.Trials)
            .Where(s => string.Equals(s.Dataset, dataset, StringComparison.Ordinal))
            .Select(s => ScatterData.Of(context, s.Passed))
            .FirstOrDefault();
    }

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
