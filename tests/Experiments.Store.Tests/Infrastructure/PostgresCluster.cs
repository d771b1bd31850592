using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Experiments.Store.Tests.Infrastructure;

/// <summary>
/// A real, throwaway PostgreSQL 15 cluster, started once per test run for every PostgreSQL test class (a collection
/// fixture): <c>initdb</c> in a temporary folder, listening on a free loopback port, fsync off (nothing here has to
/// survive a power cut), password (SCRAM) authentication for the test role so a wrong password is really refused.
/// As root, the server runs as the <c>postgres</c> user (it refuses to run as root). The store benchmark compiles
/// this file in too.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    public const string Role = "experiments";
    public const string RolePassword = "s3cret-Pa55";
    public const string Database = "experiments";
    private const string SuperuserPassword = "superuser-pw";

    private static readonly string BinDirectory = Environment.GetEnvironmentVariable("EXPERIMENTS_PG_BIN") ?? "/usr/lib/postgresql/15/bin";
    private static readonly bool IsRoot = Environment.UserName == "root";

    private readonly string _folder = "";
    private readonly string _data = "";

    /// <summary>Why the PostgreSQL tests cannot run here, or null when they can.</summary>
    public static string? MissingReason => File.Exists(Path.Combine(BinDirectory, "initdb")) && File.Exists(Path.Combine(BinDirectory, "pg_ctl"))
        ? null
        : $"PostgreSQL server binaries are not installed (no initdb/pg_ctl in {BinDirectory}): apt-get install postgresql";

    public PostgresCluster()
    {
        if (MissingReason is not null)
        {
            return;
        }
        _folder = Path.Combine(Path.GetTempPath(), $"experiments-pg-{Guid.NewGuid():N}");
        _data = Path.Combine(_folder, "data");
        Directory.CreateDirectory(_folder);
        var passwordFile = Path.Combine(_folder, "pw");
        File.WriteAllText(passwordFile, SuperuserPassword);
        if (IsRoot)
        {
            Run("chown", ["-R", "postgres:postgres", _folder]);
        }
        Port = FreePort();
        Server("initdb", ["-D", _data, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--locale=C", "--no-sync"]);
        Start("start");

        using var admin = new NpgsqlConnection(AdminConnectionString("postgres"));
        admin.Open();
        Execute(admin, $"CREATE ROLE {Role} LOGIN PASSWORD '{RolePassword}'");
        Execute(admin, $"CREATE DATABASE {Database} OWNER {Role}");
    }

    public int Port { get; }

    /// <summary>The test role's connection string (password included) for a database and schema.</summary>
    public string ConnectionString(string? schema = null, string database = Database, string password = RolePassword)
        => new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = Role,
            Password = password,
            Database = database,
            SearchPath = schema,
            Pooling = false,
        }.ConnectionString;

    /// <summary>A new empty schema owned by the test role: a fresh store.</summary>
    public string CreateSchema()
    {
        var schema = $"t_{Guid.NewGuid():N}";
        using var connection = new NpgsqlConnection(ConnectionString());
        connection.Open();
        Execute(connection, $"CREATE SCHEMA {schema}");
        return schema;
    }

    /// <summary><c>pg_ctl restart</c>: every open connection is dropped, committed data stays.</summary>
    public void Restart() => Start("restart", "-m", "fast");

    private void Start(string action, params string[] more) => Server("pg_ctl",
    [
        action, "-D", _data, "-w", "-t", "30", "-l", Path.Combine(_folder, "server.log"), .. more,
        "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c unix_socket_directories={_folder} -c max_connections=200",
    ]);

    private string AdminConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Password = SuperuserPassword,
        Database = database,
        Pooling = false,
    }.ConnectionString;

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static void Server(string program, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(BinDirectory, program);
        if (IsRoot)
        {
            Run("runuser", ["-u", "postgres", "--", path, .. arguments]);
        }
        else
        {
            Run(path, arguments);
        }
    }

    private static void Run(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error}{output.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_folder.Length == 0)
        {
            return;
        }
        try
        {
            Server("pg_ctl", ["stop", "-D", _data, "-m", "immediate", "-w"]);
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
