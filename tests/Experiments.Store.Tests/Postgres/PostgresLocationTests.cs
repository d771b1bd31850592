using Experiments.Store.Postgres;

namespace Experiments.Store.Tests.Postgres;

/// <summary>Store locations: URI and key=value forms, and no password in anything printed.</summary>
public sealed class PostgresLocationTests
{
    [Theory]
    [InlineData("postgres://u@db.example/results", true)]
    [InlineData("PostgreSQL://u@db.example/results", true)]
    [InlineData("Host=db.example;Database=results", true)]
    [InlineData("Database=results; server = db.example", true)]
    [InlineData(".experiments/results.db", false)]
    [InlineData("/data/host=3/results.db", false)]
    [InlineData("C:\\results;x.db", false)]
    [InlineData("", false)]
    public void Tells_a_server_from_a_file(string text, bool isPostgres)
        => Assert.Equal(isPostgres, PostgresLocation.IsPostgres(text));

    [Fact]
    public void A_uri_gives_every_part_and_prints_without_the_password()
    {
        var location = PostgresLocation.Parse("postgresql://sweeper:p%40ss%3Aword@db.example:6543/results?search_path=team_a&sslmode=disable");

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(location.ConnectionString);
        Assert.Equal(("db.example", 6543, "results", "sweeper", "p@ss:word", "team_a", Npgsql.SslMode.Disable),
            (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password, builder.SearchPath, builder.SslMode));
        Assert.Equal("postgres://sweeper@db.example:6543/results?search_path=team_a", location.ToString());
        Assert.DoesNotContain("ss", location.ToString().Replace("search_path", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void A_uri_without_port_or_database_takes_the_defaults()
    {
        var location = PostgresLocation.Parse("postgres://sweeper@db.example");

        Assert.Equal(("db.example", 5432, "sweeper"), (location.Host, location.Port, location.Database));
    }

    [Fact]
    public void A_key_value_string_prints_without_the_password()
    {
        var location = PostgresLocation.Parse("Host=10.0.0.5;Port=5433;Username=sweeper;Password=hunter2;Database=results");

        Assert.Equal("postgres://sweeper@10.0.0.5:5433/results", location.ToString());
        Assert.Contains("hunter2", location.ConnectionString);
    }

    [Theory]
    [InlineData("postgres://sweeper:hunter2@/results")]
    [InlineData("postgres://sweeper:hunter2@db.example/results?nonsense_key=hunter2")]
    [InlineData("Host=db.example;Password=hunter2;Frobnicate=hunter2")]
    public void A_bad_location_is_refused_without_repeating_the_password(string text)
    {
        var error = Assert.Throws<FormatException>(() => PostgresLocation.Parse(text));

        Assert.DoesNotContain("hunter2", error.Message);
    }
}
