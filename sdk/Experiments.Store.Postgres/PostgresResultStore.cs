using System.Data;
using System.Net.Sockets;
using System.Text.Json;
using Experiments.Results;
using Experiments.Store;
using Npgsql;

namespace Experiments.Store.Postgres;

/// <summary>
/// The shared results store: one PostgreSQL database that hosts on many machines claim trials from, with the
/// semantics of the SQLite store (claims are one compare-and-set statement, every state change one transaction, time
/// from the caller). An instance holds one connection; calls on it are serialized, so it may be shared by the threads
/// of one process. A lost connection (server restart) is opened again with bounded backoff; an operation is repeated
/// only when it certainly did not commit, or when repeating it changes nothing.
/// </summary>
public sealed partial class PostgresResultStore : IResultStore
{
    /// <summary>The schema version this code reads and writes.</summary>
    public static int SchemaVersion => Schema.LatestVersion;

    /// <summary>Waits between tries to open a connection: about 3 seconds in all, then the error is reported.</summary>
    private static readonly TimeSpan[] ConnectBackoff =
        [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400),
         TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(1600)];

    // One try at a host that does not answer (dropped packets) waits at most this long, and the tries stop once the
    // next one would start after the budget: an unreachable server is reported in seconds, not minutes.
    private const int ConnectTimeoutSeconds = 5;
    private static readonly TimeSpan ConnectBudget = TimeSpan.FromSeconds(8);

    // How often one operation is tried again after losing its connection or a deadlock before it committed.
    private const int OperationRetries = 3;

    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly string _connectionString;
    private NpgsqlConnection? _connection;
    private bool _disposed;

    /// <summary>Connects to (and migrates) the store at <paramref name="location"/>: a postgres:// URI or a connection string.</summary>
    public PostgresResultStore(string location)
        : this(PostgresLocation.Parse(location), TimeProvider.System)
    {
    }

    /// <summary>As <see cref="PostgresResultStore(string)"/>, with the clock that stamps claims, heartbeats and completions.</summary>
    public PostgresResultStore(PostgresLocation location, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(clock);
        Location = location;
        _clock = clock;
        var builder = new NpgsqlConnectionStringBuilder(location.ConnectionString)
        {
            // One connection per instance, really closed on Dispose; no pool to hand back a connection a restarted
            // server has already dropped.
            Pooling = false,
            ApplicationName = "experiments",
        };
        builder.Timeout = builder.Timeout is > 0 and < ConnectTimeoutSeconds ? builder.Timeout : ConnectTimeoutSeconds;
        _connectionString = builder.ConnectionString;
        lock (_gate)
        {
            var connection = Connect();
            try
            {
                Schema.Migrate(connection, Location, NowMs());
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                connection.Dispose();
                throw e as ResultStoreException ?? Failure(e);
            }
            _connection = connection;
        }
    }

    /// <summary>Where the store is; its <see cref="object.ToString"/> has no password.</summary>
    public PostgresLocation Location { get; }

    private long NowMs() => Columns.ToMs(_clock.GetUtcNow());

    /// <summary>Opens a connection, trying again with backoff while the server cannot be reached or is starting.</summary>
    private NpgsqlConnection Connect()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            var connection = new NpgsqlConnection(_connectionString);
            try
            {
                connection.Open();
                return connection;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
            {
                connection.Dispose();
                if (e is PostgresException postgres && !IsTransient(postgres))
                {
                    throw new ResultStoreException($"Results store {Location}: {Describe(postgres)}", e);
                }
                if (attempt >= ConnectBackoff.Length || clock.Elapsed + ConnectBackoff[attempt] > ConnectBudget)
                {
                    throw new ResultStoreException(
                        $"Cannot reach the results store {Location} (tried {attempt + 1} times over {clock.Elapsed.TotalSeconds:0.#} s): {Innermost(e).Message}", e);
                }
                Thread.Sleep(ConnectBackoff[attempt]);
            }
        }
    }

    /// <summary>
    /// Runs one operation in one transaction on the connection, one caller at a time. When the connection is lost
    /// (or the server picks this transaction as a deadlock victim) before the commit was sent, nothing was recorded
    /// and the operation runs again on a new connection; a loss during the commit leaves its outcome unknown, so
    /// only <paramref name="idempotent"/> operations run again then. Database errors name the store.
    /// </summary>
    private T Use<T>(bool idempotent, Func<NpgsqlConnection, NpgsqlTransaction, T> operation,
        IsolationLevel isolation = IsolationLevel.ReadCommitted)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (var retry = 0; ; retry++)
            {
                var connection = _connection ??= Connect();
                var committing = false;
                try
                {
                    using var transaction = connection.BeginTransaction(isolation);
                    var result = operation(connection, transaction);
                    committing = true;
                    transaction.Commit();
                    return result;
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException && Lost(connection, e))
                {
                    Drop();
                    if (committing && !idempotent)
                    {
                        throw new ResultStoreException(
                            $"Results store {Location}: the connection was lost while committing, so it is unknown whether " +
                            $"the change was recorded: {Innermost(e).Message}", e);
                    }
                    if (retry >= OperationRetries)
                    {
                        throw Failure(e);
                    }
                }
                catch (PostgresException e) when (!committing && e.SqlState is PostgresErrorCodes.DeadlockDetected
                    or PostgresErrorCodes.SerializationFailure && retry < OperationRetries)
                {
                    // The transaction was rolled back: running it again is safe.
                }
                catch (Exception e) when (e is NpgsqlException or JsonException or FormatException)
                {
                    throw e as ResultStoreException ?? Failure(e);
                }
            }
        }
    }

    private void Use(bool idempotent, Action<NpgsqlConnection, NpgsqlTransaction> operation) => Use(idempotent, (connection, transaction) =>
    {
        operation(connection, transaction);
        return true;
    });

    /// <summary>Whether the failure was the connection going away (rather than the statement failing on a live one).</summary>
    private static bool Lost(NpgsqlConnection connection, Exception e)
        => connection.FullState.HasFlag(ConnectionState.Broken) || connection.State != ConnectionState.Open
            || e is PostgresException postgres && IsTransient(postgres);

    // Server shutting down or starting, connection failures: the statement did not run to its end.
    private static bool IsTransient(PostgresException e)
        => e.SqlState.StartsWith("08", StringComparison.Ordinal) || e.SqlState.StartsWith("57P", StringComparison.Ordinal);

    private void Drop()
    {
        _connection?.Dispose();
        _connection = null;
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner && e is not PostgresException ? Innermost(inner) : e;

    private static string Describe(PostgresException e) => e.SqlState switch
    {
        PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification
            => $"the server refused the credentials ({e.MessageText}); check the user name and password.",
        PostgresErrorCodes.InvalidCatalogName => $"{e.MessageText}; create the database first (createdb).",
        _ => e.MessageText,
    };

    private ResultStoreException Failure(Exception e) => new($"Results store {Location}: {(e is PostgresException p ? Describe(p) : Innermost(e).Message)}", e);

    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                Drop();
            }
        }
    }

    public override string ToString() => Location.ToString();
}
