using System.Text.Json;
using Experiments.Results;
using Experiments.Store;
using Microsoft.Data.Sqlite;

namespace Experiments.Store.Sqlite;

/// <summary>
/// The embedded results store: one SQLite file that several processes may share. The WAL journal with full sync
/// keeps every committed transaction through a crash (even <c>kill -9</c>); a busy timeout makes writers queue
/// instead of failing. Each state change is one statement or one transaction. An instance holds one connection;
/// calls on it are serialized, so it may be shared by the threads of one process.
/// </summary>
public sealed partial class SqliteResultStore : IResultStore
{
    /// <summary>The schema version this code reads and writes.</summary>
    public static int SchemaVersion => Schema.LatestVersion;

    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _clock;
    private bool _disposed;

    /// <summary>Opens (creating the folder and file when needed) and migrates the store at <paramref name="path"/>.</summary>
    public SqliteResultStore(string path)
        : this(path, TimeProvider.System)
    {
    }

    /// <summary>As <see cref="SqliteResultStore(string)"/>, with the clock that stamps claims, heartbeats and completions.</summary>
    public SqliteResultStore(string path, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(clock);
        FilePath = Path.GetFullPath(path);
        _clock = clock;
        _connection = Open();
    }

    /// <summary>The full path of the database file.</summary>
    public string FilePath { get; }

    private SqliteConnection Open()
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultStoreException($"Cannot create the folder of the results store '{FilePath}': {e.Message}", e);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // No pool: disposing the store really closes the file (checkpoints the WAL, lets the folder be deleted).
            Pooling = false,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString());
        try
        {
            connection.Open();
            // busy_timeout first: switching to WAL may have to wait for another process.
            connection.Execute(null, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}");
            // Reads only: a file that is not a store, or of a newer schema, is refused before anything is written to it
            // (switching to WAL rewrites the file's header).
            Schema.Check(connection, FilePath);
            connection.Execute(null, "PRAGMA journal_mode = WAL");
            connection.Execute(null, "PRAGMA synchronous = FULL");
            connection.Execute(null, "PRAGMA foreign_keys = ON");
            Schema.Migrate(connection, FilePath, NowMs());
            return connection;
        }
        catch (Exception e)
        {
            connection.Dispose();
            if (e is SqliteException)
            {
                throw Failure(e);
            }
            throw;
        }
    }

    private long NowMs() => Columns.ToMs(_clock.GetUtcNow());

    /// <summary>Runs one operation on the connection, one caller at a time; database errors name the file.</summary>
    private T Use<T>(Func<SqliteConnection, T> operation)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                return operation(_connection);
            }
            catch (Exception e) when (e is SqliteException or JsonException or FormatException)
            {
                throw Failure(e);
            }
        }
    }

    private void Use(Action<SqliteConnection> operation) => Use(connection =>
    {
        operation(connection);
        return true;
    });

    private ResultStoreException Failure(Exception e) => new($"Results store '{FilePath}': {Describe(e)}", e);

    /// <summary>What went wrong, and what to do about it for the errors a user can fix.</summary>
    private string Describe(Exception e)
    {
        if (e is not SqliteException sqlite)
        {
            return e.Message;
        }
        var name = Path.GetFileName(FilePath);
        var detail = sqlite.Message.TrimEnd('.');
        // The primary result code: the low byte of an extended one (SQLITE_IOERR_WRITE is SQLITE_IOERR).
        return (sqlite.SqliteErrorCode & 0xFF) switch
        {
            SqliteFull => $"the disk is full ({detail}). Free space on the disk that holds the store, then run again; "
                + "trials left running are run again by the next run.",
            SqliteReadOnly => $"the store cannot be written: the file or its folder is read-only ({detail}). "
                + "A results store must be writable: make it so, or use another store.",
            SqliteCantOpen => $"the file cannot be opened ({detail}). The store needs its folder writable: it keeps "
                + $"'{name}-wal' and '{name}-shm' next to the file (a read-only file system cannot hold a store): make it writable, or use another store.",
            SqliteNotADatabase => $"the file is not a SQLite database ({detail}); it was not changed. Is it the right file?",
            SqliteCorrupt => $"the database file is damaged ({detail}). Restore it from a copy, or use another store.",
            _ => sqlite.Message,
        };
    }

    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteReadOnly = 8;
    private const int SqliteNotADatabase = 26;

    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _connection.Dispose();
            }
        }
    }

    public override string ToString() => FilePath;
}
