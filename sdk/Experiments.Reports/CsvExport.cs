using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Experiments.Reports.Analysis;
using Experiments.Results;

namespace Experiments.Reports;

/// <summary>
/// Every trial as one CSV row, like a notebook's results table (<c>dataset, model_name, GPU_mem, error_rate, valid_loss,
/// train_loss, fit_time</c>): fixed columns first, then one per parameter, the model family, the standard metrics,
/// the other metrics (sorted) and the run's bookkeeping. Invariant culture; numbers round-trip.
/// Text cells that a spreadsheet would run as a formula (starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or
/// carriage return) get a leading <c>'</c>, as OWASP's CSV-injection guidance says; numbers (<c>-0.5</c>) are written as
/// they are.
/// </summary>
public static class CsvExport
{
    /// <summary>Metric columns always present, in this order (empty where a trial did not report them).</summary>
    public static IReadOnlyList<string> StandardMetrics { get; } =
    [
        MetricNames.ErrorRate,
        MetricNames.ValidLoss,
        MetricNames.TrainLoss,
        MetricNames.FitTime,
        MetricNames.PeakMemory,
    ];

    private static readonly string[] LeadingColumns = ["experiment", "trial_id", "configuration", "repeat", "status"];
    private static readonly string[] TrailingColumns = ["duration_s", "attempt", "worker", "build_id", "source_revision", "error"];

    /// <summary>Writes the header and one row per trial (every status) to <paramref name="writer"/>, which stays open.</summary>
    public static void Write(TextWriter writer, ExperimentInfo experiment, IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(trials);

        var context = new SweepContext(experiment);
        var parameterNames = experiment.Parameters.Select(p => p.Name)
            .Concat(trials.SelectMany(t => t.Parameters.Select(p => p.Key)))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var withFamily = context.FamilyParameter is not null;
        var otherMetrics = trials.SelectMany(t => t.Metrics.Keys)
            .Where(name => !StandardMetrics.Contains(name, StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();

        var fixedColumns = new HashSet<string>(
            LeadingColumns.Concat(StandardMetrics).Concat(otherMetrics).Concat(TrailingColumns).Concat(withFamily ? ["family", "model"] : []),
            StringComparer.Ordinal);
        // A parameter called like a fixed column (say "status") must not produce two columns with one name.
        var parameterHeaders = parameterNames.Select(name => fixedColumns.Contains(name) ? "param_" + name : name).ToArray();

        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" };
        using var csv = new CsvWriter(writer, configuration, leaveOpen: true);

        foreach (var header in LeadingColumns.Concat(parameterHeaders).Concat(withFamily ? ["family", "model"] : [])
                     .Concat(StandardMetrics).Concat(otherMetrics).Concat(TrailingColumns))
        {
            csv.WriteField(Text(header));
        }
        csv.NextRecord();

        foreach (var trial in trials)
        {
            csv.WriteField(Text(trial.Experiment));
            csv.WriteField(Text(trial.TrialId));
            csv.WriteField(Text(SweepContext.ConfigurationIdOf(trial)));
            csv.WriteField(Integer(trial.Repeat));
            csv.WriteField(Status(trial.Status));
            foreach (var name in parameterNames)
            {
                csv.WriteField(Text(trial.Parameter(name)));
            }
            if (withFamily)
            {
                csv.WriteField(Text(context.FamilyOf(trial)));
                csv.WriteField(Text(context.ModelOf(trial)));
            }
            foreach (var name in StandardMetrics.Concat(otherMetrics))
            {
                csv.WriteField(trial.Metrics.TryGetValue(name, out var value) ? Number(value) : string.Empty);
            }
            csv.WriteField(trial.DurationSeconds is { } duration ? Number(duration) : string.Empty);
            csv.WriteField(Integer(trial.Attempt));
            csv.WriteField(Text(trial.Worker));
            csv.WriteField(Text(trial.BuildId));
            csv.WriteField(Text(trial.SourceRevision));
            csv.WriteField(Text(trial.Error));
            csv.NextRecord();
        }
        csv.Flush();
    }

    /// <summary>Characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection").</summary>
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>
    /// A text cell as a spreadsheet will show it, never run it: a leading <c>'</c> when it starts like a formula and is
    /// not a number. Parameter values, errors, worker names and ids come from users' code and exceptions.
    /// </summary>
    internal static string Text(string? value)
        => value is { Length: > 0 } && Array.IndexOf(FormulaStarts, value[0]) >= 0
           && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? "'" + value
            : value ?? string.Empty;

    private static string Status(TrialStatus status) => status.ToString().ToLowerInvariant();

    private static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The shortest text that parses back to the same double.</summary>
    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
