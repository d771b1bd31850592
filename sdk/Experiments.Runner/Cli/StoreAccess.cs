using Experiments.Results;
using Experiments.Store.Sqlite;

namespace Experiments.Running.Cli;

/// <summary>Opens the project's store; the one place that knows the default store is SQLite.</summary>
internal static class StoreAccess
{
    public static IResultStore Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            return new SqliteResultStore(path);
        }
        catch (InvalidOperationException)
        {
            // Two runs creating a new store at once: one may look while the other commits the schema and take the
            // file for a foreign database. A second look sees the finished schema (a foreign file fails again).
            Thread.Sleep(200);
            return new SqliteResultStore(path);
        }
    }

    /// <summary>For commands that only read: no store file yet means no results, not a new empty file.</summary>
    public static IResultStore? OpenExisting(string path) => File.Exists(path) ? new SqliteResultStore(path) : null;
}
