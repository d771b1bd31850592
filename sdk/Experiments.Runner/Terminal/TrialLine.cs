using System.Globalization;
using Experiments.Running.Execution;

namespace Experiments.Running.Terminal;

/// <summary>The one line per finished trial: <c>  ✓ id  error_rate=0.0423 fit_time=12.3s</c> or <c>  ✗ id  reason</c>.</summary>
internal static class TrialLine
{
    public const string PassMark = "✓";
    public const string FailMark = "✗";
    public const string NotStartedMark = "○";

    /// <summary>Besides the objective and fit time, at most this many metrics, so a line stays a line.</summary>
    private const int MaxOtherMetrics = 3;

    public static string Mark(TrialEnd end) => end switch
    {
        TrialEnd.Passed => PassMark,
        TrialEnd.NotReady => NotStartedMark,
        _ => FailMark,
    };

    public static string Details(WorkerTrialResult result, string objective) => result.End switch
    {
        TrialEnd.Passed => FormatMetrics(result.Metrics, objective, result.DurationSeconds),
        TrialEnd.Interrupted => "interrupted (runs again on the next run)",
        TrialEnd.NotReady => "not started, stays pending: " + (result.Reason ?? "a prerequisite is missing"),
        _ => result.Reason ?? "failed",
    };

    public static string Format(string trialId, WorkerTrialResult result, string objective)
        => $"  {Mark(result.End)} {trialId}  {Details(result, objective)}";

    public static string FormatMetrics(IReadOnlyDictionary<string, double> metrics, string objective, double wallSeconds)
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
        var fitTime = metrics.TryGetValue(MetricNames.FitTime, out var reported) ? reported : wallSeconds;
        parts.Add($"{MetricNames.FitTime}={Seconds(fitTime)}");
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
