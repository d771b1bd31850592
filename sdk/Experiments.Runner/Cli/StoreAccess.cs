using Experiments.Results;
using Experiments.Store.Sqlite;

namespace Experiments.Runner.Cli;

/// <summary>Opens the project's store; the one place that knows the default store is SQLite.</summary>
internal static class StoreAccess
{
    public static IResultStore Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // Safe when several runs create a new store at once: the store checks the file's schema consistently.
        return new SqliteResultStore(path);
    }

    /// <summary>For commands that only read: no store file yet means no results, not a new empty file.</summary>
    public static IResultStore? OpenExisting(string path) => File.Exists(path) ? new SqliteResultStore(path) : null;
}
