using Experiments.Results;
using Experiments.Store.Postgres;
using Experiments.Store.Sqlite;

namespace Experiments.Runner.Cli;

/// <summary>
/// Where the results are and how they are opened: the one place that knows the stores. The location comes from
/// <c>--store</c>, else the <c>EXPERIMENTS_STORE</c> environment variable, else the project's SQLite file. A
/// <c>postgres://</c> / <c>postgresql://</c> URI or an Npgsql key=value connection string (<c>Host=…</c>) is a
/// PostgreSQL store; anything else is a SQLite file path. Store errors become one-line command errors.
/// </summary>
internal static class StoreAccess
{
    public const string EnvironmentVariable = "EXPERIMENTS_STORE";

    /// <summary>The store of this command: option &gt; environment &gt; the project's default file.</summary>
    public static StoreLocation Locate(ProjectSettings settings)
        => Locate(settings.StoreOption, Environment.GetEnvironmentVariable(EnvironmentVariable), settings.StorePath);

    public static StoreLocation Locate(string? option, string? environment, string defaultPath)
    {
        var (text, source) = option is { Length: > 0 } ? (option, "--store")
            : environment is { Length: > 0 } ? (environment, EnvironmentVariable)
            : (defaultPath, "the project's default store");
        try
        {
            return StoreLocation.Parse(text);
        }
        catch (FormatException e)
        {
            // The message never repeats the text: it may hold a password.
            throw new CliException($"{source}: {e.Message}");
        }
    }

    public static IResultStore Open(StoreLocation location) => Guard(() =>
    {
        if (location.Postgres is { } server)
        {
            return new PostgresResultStore(server, TimeProvider.System);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(location.FilePath!)!);
        // Safe when several runs create a new store at once: the store checks the file's schema consistently.
        return new SqliteResultStore(location.FilePath!);
    });

    /// <summary>For commands that only read: no store file yet means no results, not a new empty file.</summary>
    public static IResultStore? OpenExisting(StoreLocation location)
        => location.Postgres is not null || File.Exists(location.FilePath) ? Open(location) : null;

    /// <summary>A SQLite file, or a server location given as text.</summary>
    public static IResultStore Open(string location) => Open(StoreLocation.Parse(location));

    public static IResultStore? OpenExisting(string location) => OpenExisting(StoreLocation.Parse(location));

    private static IResultStore Guard(Func<IResultStore> open)
    {
        try
        {
            return open();
        }
        catch (ResultStoreException e)
        {
            throw new CliException(e.Message);
        }
    }
}

/// <summary>
/// A store's location: a SQLite file or a PostgreSQL server. <see cref="ToString"/> never shows a password, so this
/// is what every message prints.
/// </summary>
internal sealed class StoreLocation
{
    private StoreLocation(string? filePath, PostgresLocation? postgres)
    {
        FilePath = filePath;
        Postgres = postgres;
    }

    /// <summary>The full path of a SQLite store, or null for a server.</summary>
    public string? FilePath { get; }

    public PostgresLocation? Postgres { get; }

    public static StoreLocation Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return PostgresLocation.IsPostgres(text)
            ? new StoreLocation(null, PostgresLocation.Parse(text))
            : new StoreLocation(Path.GetFullPath(text), null);
    }

    public override string ToString() => Postgres?.ToString() ?? FilePath!;
}
