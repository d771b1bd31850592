using System.Globalization;
using Experiments.Results;
using Experiments.Runner.Execution.Host;

namespace Experiments.Runner.Terminal;

/// <summary>The one line per finished trial: <c>  ✓ id  error_rate=0.0423 fit_time=12.3s</c> or <c>  ✗ id  reason</c>.</summary>
internal static class TrialLine
{
    public const string PassMark = "✓";
    public const string FailMark = "✗";
    public const string NotStartedMark = "○";

    /// <summary>Besides the objective and fit time, at most this many metrics, so a line stays a line.</summary>
    private const int MaxOtherMetrics = 3;

    public static string Mark(TrialStatus status) => status switch
    {
        TrialStatus.Passed => PassMark,
        TrialStatus.Pending => NotStartedMark,
        _ => FailMark,
    };

    public static string Details(WorkerTrialResult result, string objective) => result.Status switch
    {
        TrialStatus.Passed => FormatMetrics(result.Metrics, objective),
        TrialStatus.Interrupted => "interrupted (runs again on the next run)",
        TrialStatus.Pending => "not started, stays pending: " + (result.Reason ?? "a prerequisite is missing"),
        _ => result.Reason ?? "failed",
    };

    public static string Format(string trialId, WorkerTrialResult result, string objective)
        => $"  {Mark(result.Status)} {trialId}  {Details(result, objective)}";

    /// <summary>A passed trial's metrics; <c>fit_time</c> is among them (the worker falls back to wall time).</summary>
    public static string FormatMetrics(IReadOnlyDictionary<string, double> metrics, string objective)
    {
        var parts = new List<string>();
        if (metrics.TryGetValue(objective, out var objectiveValue))
        {
            parts.Add($"{objective}={Number(objectiveValue)}");
        }
        parts.AddRange(metrics
            .Where(m => m.Key != objective && m.Key != MetricNames.FitTime && m.Key != MetricNames.PeakMemory)
            .Take(MaxOtherMetrics)
            .Select(m => $"{m.Key}={Number(m.Value)}"));
        if (metrics.TryGetValue(MetricNames.PeakMemory, out var peak))
        {
            parts.Add($"{MetricNames.PeakMemory}={Bytes(peak)}");
        }
        if (metrics.TryGetValue(MetricNames.FitTime, out var fitTime))
        {
            parts.Add($"{MetricNames.FitTime}={Seconds(fitTime)}");
        }
        return string.Join(' ', parts);
    }

    /// <summary>Four significant digits, no exponent for everyday magnitudes.</summary>
    public static string Number(double value)
    {
        var magnitude = Math.Abs(value);
        if (magnitude >= 1e4 && magnitude < 1e15)
        {
            return value.ToString("0", CultureInfo.InvariantCulture);
        }
        return value.ToString("G4", CultureInfo.InvariantCulture);
    }

    public static string Seconds(double seconds) => seconds switch
    {
        < 10 => seconds.ToString("0.00", CultureInfo.InvariantCulture) + "s",
        < 600 => seconds.ToString("0.0", CultureInfo.InvariantCulture) + "s",
        _ => TimeSpan.FromSeconds(seconds).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture),
    };

    public static string Bytes(double bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        var unit = 0;
        while (Math.Abs(bytes) >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return bytes.ToString(unit == 0 ? "0" : "0.0", CultureInfo.InvariantCulture) + units[unit];
    }
}
