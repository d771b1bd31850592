using System.Data.Common;
using Experiments.Results;

namespace Experiments.Store;

/// <summary>
/// How both stores write values into columns and read them back, so a SQLite file and a PostgreSQL database hold the
/// same things the same way (what <c>merge</c> and the contract tests rely on): times as UTC unix milliseconds, statuses
/// as lower-case words, NULL reals as NaN.
/// </summary>
internal static class Columns
{
    public static long ToMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset? ToTime(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    public static double ReadReal(this DbDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? double.NaN : reader.GetDouble(ordinal);

    public static string? ReadText(this DbDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? ReadLong(this DbDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static string ToText(TrialStatus status) => status switch
    {
        TrialStatus.Pending => "pending",
        TrialStatus.Running => "running",
        TrialStatus.Passed => "passed",
        TrialStatus.Failed => "failed",
        TrialStatus.Interrupted => "interrupted",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static TrialStatus ToStatus(string text) => text switch
    {
        "pending" => TrialStatus.Pending,
        "running" => TrialStatus.Running,
        "passed" => TrialStatus.Passed,
        "failed" => TrialStatus.Failed,
        "interrupted" => TrialStatus.Interrupted,
        _ => throw new FormatException($"Unknown trial status '{text}'."),
    };
}
