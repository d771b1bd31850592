using Experiments.Results;
using Microsoft.Data.Sqlite;

namespace Experiments.Store.Sqlite;

/// <summary>Small ADO.NET helpers and the mapping between column values and .NET values.</summary>
internal static class Db
{
    public static SqliteCommand Command(this SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    public static int Execute(this SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        using var command = connection.Command(transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static T Scalar<T>(this SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        using var command = connection.Command(transaction, sql, parameters);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A parameter whose value is set per row, for commands executed many times.</summary>
    public static SqliteParameter Parameter(this SqliteCommand command, string name, SqliteType type)
        => command.Parameters.Add(name, type);

    // Times: unix milliseconds, UTC.
    public static long ToMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset? ToTime(object? ms) => ms is long value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    // SQLite stores NaN as NULL; read NULL back as NaN so a NaN metric round-trips.
    public static object Real(double value) => double.IsNaN(value) ? DBNull.Value : value;

    public static double ReadReal(this SqliteDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? double.NaN : reader.GetDouble(ordinal);

    public static string? ReadText(this SqliteDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? ReadLong(this SqliteDataReader reader, int ordinal)
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
