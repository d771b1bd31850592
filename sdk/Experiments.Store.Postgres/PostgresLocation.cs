using Npgsql;

namespace Experiments.Store.Postgres;

/// <summary>
/// Where a PostgreSQL store is: a <c>postgres://</c> / <c>postgresql://</c> URI or an Npgsql key=value connection
/// string (<c>Host=…;Database=…</c>). <see cref="ToString"/> never shows the password, so the location can go into
/// any message; only <see cref="ConnectionString"/> carries it.
/// </summary>
public sealed class PostgresLocation
{
    private PostgresLocation(NpgsqlConnectionStringBuilder builder)
    {
        ConnectionString = builder.ConnectionString;
        Host = builder.Host ?? "localhost";
        Port = builder.Port;
        Database = builder.Database ?? builder.Username ?? "postgres";
        Username = builder.Username;
        SearchPath = builder.SearchPath;
    }

    /// <summary>The Npgsql connection string, password included: never print it.</summary>
    public string ConnectionString { get; }

    public string Host { get; }
    public int Port { get; }
    public string Database { get; }
    public string? Username { get; }

    /// <summary>The schema the store's tables live in (the first of the search path; <c>public</c> by default).</summary>
    public string? SearchPath { get; }

    /// <summary>Whether <paramref name="text"/> names a PostgreSQL server rather than a file.</summary>
    public static bool IsPostgres(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var trimmed = text.Trim();
        if (trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        // A key=value string names its server with Host= (Server= is Npgsql's synonym).
        return trimmed.Split(';').Any(part => part.Split('=', 2) is [var key, _]
            && key.Trim() is var name
            && (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Server", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Parses a URI or a key=value connection string; errors never repeat the text (it may hold a password).</summary>
    public static PostgresLocation Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var trimmed = text.Trim();
        var builder = trimmed.Contains("://", StringComparison.Ordinal) ? FromUri(trimmed) : FromKeyValue(trimmed);
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new FormatException("The PostgreSQL store location names no host (postgres://user:password@host:port/database, or Host=…;Database=…).");
        }
        return new PostgresLocation(builder);
    }

    private static NpgsqlConnectionStringBuilder FromKeyValue(string text)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(text);
        }
        catch (ArgumentException e)
        {
            // Npgsql's message names the key, not the value.
            throw new FormatException($"The PostgreSQL connection string is not valid: {e.Message}");
        }
    }

    /// <summary>
    /// <c>postgres[ql]://[user[:password]@]host[:port][/database][?key=value&amp;…]</c>; user and password are
    /// percent-decoded, query keys are Npgsql connection-string keys (<c>sslmode</c>, <c>search_path</c> work too).
    /// </summary>
    private static NpgsqlConnectionStringBuilder FromUri(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || !(uri.Scheme.Equals("postgres", StringComparison.OrdinalIgnoreCase) || uri.Scheme.Equals("postgresql", StringComparison.OrdinalIgnoreCase)))
        {
            throw new FormatException("The PostgreSQL store URI is not valid: expected postgres://user:password@host:port/database.");
        }
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }
        if (uri.UserInfo is { Length: > 0 } userInfo)
        {
            var parts = userInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (k, v) : (pair, "");
            key = Uri.UnescapeDataString(key).Replace('_', ' ');
            try
            {
                builder[key] = Uri.UnescapeDataString(value);
            }
            catch (ArgumentException)
            {
                throw new FormatException($"The PostgreSQL store URI has an unknown parameter '{key}'.");
            }
        }
        return builder;
    }

    /// <summary>The location without its password: <c>postgres://user@host:port/database</c>.</summary>
    public override string ToString()
    {
        var user = Username is { Length: > 0 } ? $"{Uri.EscapeDataString(Username)}@" : "";
        var schema = SearchPath is { Length: > 0 } ? $"?search_path={Uri.EscapeDataString(SearchPath)}" : "";
        return $"postgres://{user}{Host}:{Port}/{Uri.EscapeDataString(Database)}{schema}";
    }
}
