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

    // SQLite stores NaN as NULL; read NULL back as NaN so a NaN metric round-trips.
    public static object Real(double value) => double.IsNaN(value) ? DBNull.Value : value;
}
