using System.Text;
using Experiments.Reports;
using Experiments.Reports.Analysis;
using Experiments.Results;
using Experiments.Runner.Cli;

namespace Experiments.Runner.Reporting;

/// <summary>Writes the Markdown report (and its plot images, next to it) and the CSV export of one experiment from what the store holds.</summary>
internal static class ReportWriter
{
    public static string WriteMarkdown(IResultStore store, ExperimentInfo experiment, ProjectSettings settings, string? device)
    {
        var trials = store.GetTrials(experiment.Name);
        var environment = new ReportEnvironment(
            DateTimeOffset.Now,
            Environment.MachineName,
            device ?? MostUsedDevice(trials) ?? "cpu",
            settings.Build.SourceRevision);
        var analysis = ReportAnalysis.Of(new ReportInput(experiment, trials, store.GetEpochMetrics(experiment.Name), environment)
        {
            OtherExperiments = MatchingGrids(store, experiment),
        });
        var plots = WritePlots(analysis, settings.ReportDirectory, Console.Error);
        string markdown;
        try
        {
            markdown = MarkdownReport.Render(analysis, plots, settings.ReportTemplate);
        }
        catch (ReportTemplateException exception)
        {
            // The user's file and line, like a compiler error, instead of a stack trace; the results stay in the store.
            throw new CliException(TemplateError(settings, exception));
        }
        var path = Path.Combine(settings.ReportDirectory, FileNames.Safe(experiment.Name) + ".md");
        WriteAtomically(path, markdown);
        return path;
    }

    /// <summary><c>report.sbn(3,17): error: …</c> — the form editors and CI logs link to the file.</summary>
    internal static string TemplateError(ProjectSettings settings, ReportTemplateException exception)
    {
        var file = settings.ReportTemplate is null ? "the default report template" : settings.ReportTemplateFile ?? "the report template";
        var position = exception.Line > 0 ? $"({exception.Line},{exception.Column})" : string.Empty;
        return $"{file}{position}: {exception.Error}";
    }

    /// <summary>
    /// Renders each plot of the report into the report folder and returns those written, so the Markdown links only
    /// images that exist. A plot that cannot be drawn (no native graphics library on this platform, a full disk) costs
    /// its image, with a warning, never the report.
    /// </summary>
    internal static IReadOnlyList<ReportPlot> WritePlots(ReportAnalysis analysis, string directory, TextWriter warnings)
    {
        var written = new List<ReportPlot>();
        foreach (var plot in ReportPlots.Plan(analysis))
        {
            try
            {
                WriteAtomically(Path.Combine(directory, plot.FileName), ReportPlots.RenderScatterPng(analysis, plot));
                written.Add(plot);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or DllNotFoundException
                                                  or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
            {
                warnings.WriteLine($"warning: the plot {plot.FileName} was not written: {exception.GetBaseException().Message}");
            }
        }
        return written;
    }

    public static string WriteCsv(IResultStore store, ExperimentInfo experiment, string path)
    {
        var trials = store.GetTrials(experiment.Name);
        using var text = new StringWriter();
        CsvExport.Write(text, experiment, trials);
        WriteAtomically(path, text.ToString());
        return path;
    }

    public static string DefaultCsvPath(ProjectSettings settings, string experiment)
        => Path.Combine(settings.ReportDirectory, FileNames.Safe(experiment) + ".csv");

    /// <summary>A report open in an editor or served by a web server never shows half a file.</summary>
    private static void WriteAtomically(string path, string content)
        => WriteAtomically(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content));

    private static void WriteAtomically(string path, byte[] content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// The store's grids an adaptive search's report compares its winner with (<see cref="GridMatch"/>): only their
    /// declarations are read to choose them, and only the matching ones' trials. None for a grid.
    /// </summary>
    private static IReadOnlyList<StoredExperiment> MatchingGrids(IResultStore store, ExperimentInfo experiment)
    {
        if (!experiment.SearchOrGrid.IsAdaptive)
        {
            return [];
        }
        return store.GetExperimentNames()
            .Where(name => !string.Equals(name, experiment.Name, StringComparison.Ordinal))
            .Select(store.GetExperiment)
            .OfType<ExperimentInfo>()
            .Where(candidate => GridMatch.Matches(experiment, candidate))
            .Select(grid => new StoredExperiment(grid, store.GetTrials(grid.Name)))
            .ToArray();
    }

    private static string? MostUsedDevice(IReadOnlyList<TrialRecord> trials)
        => trials.Where(t => t.Device is { Length: > 0 })
            .GroupBy(t => t.Device!)
            .OrderByDescending(g => g.Count())
            .Select(g => g.Key)
            .FirstOrDefault();
}
