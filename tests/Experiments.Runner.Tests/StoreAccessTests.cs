using Experiments.Runner.Cli;

namespace Experiments.Runner.Tests;

public class StoreAccessTests
{
    private const string Server = "postgres://sweeper:hunter2@127.0.0.1:1/results";

    [Fact]
    public void The_option_wins_over_the_environment_which_wins_over_the_default()
    {
        Assert.Equal("/data/a.db", StoreAccess.Locate("/data/a.db", Server, "/p/.experiments/results.db").ToString());
        Assert.Equal("postgres://sweeper@127.0.0.1:1/results", StoreAccess.Locate(null, Server, "/p/.experiments/results.db").ToString());
        Assert.Equal("/p/.experiments/results.db", StoreAccess.Locate(null, "", "/p/.experiments/results.db").ToString());
    }

    [Theory]
    [InlineData(Server)]
    [InlineData("postgresql://sweeper:hunter2@127.0.0.1:1/results")]
    [InlineData("Host=127.0.0.1;Port=1;Username=sweeper;Password=hunter2;Database=results")]
    public void A_server_location_is_postgres_and_prints_without_its_password(string text)
    {
        var location = StoreAccess.Locate(text, null, "/p/results.db");

        Assert.NotNull(location.Postgres);
        Assert.Null(location.FilePath);
        Assert.Equal("postgres://sweeper@127.0.0.1:1/results", location.ToString());
    }

    [Fact]
    public void Anything_else_is_a_sqlite_file_taken_from_the_current_directory()
    {
        var location = StoreAccess.Locate("runs/results.db", null, "/p/results.db");

        Assert.Null(location.Postgres);
        Assert.Equal(Path.GetFullPath("runs/results.db"), location.FilePath);
    }

    [Fact]
    public void A_bad_server_location_is_a_command_error_without_the_password()
    {
        var error = Assert.Throws<CliException>(() => StoreAccess.Locate(null, "postgres://sweeper:hunter2@/results", "/p/results.db"));

        Assert.StartsWith($"{StoreAccess.EnvironmentVariable}: ", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Fact]
    public void An_unreachable_server_is_a_store_error_with_exit_code_3_that_names_it_without_the_password()
    {
        var error = Assert.Throws<StoreErrorException>(() => StoreAccess.Open(StoreAccess.Locate(Server, null, "/p/results.db")));

        Assert.Equal(ExitCodes.StoreError, error.ExitCode);
        Assert.Contains("Cannot reach the results store postgres://sweeper@127.0.0.1:1/results", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Fact]
    public void A_server_given_with_the_option_keeps_the_projects_folder_for_artifacts()
    {
        var settings = ProjectSettings.FromAssembly(typeof(StoreAccessTests).Assembly).WithOverrides(Server, null);

        Assert.Equal(Server, settings.StoreOption);
        Assert.Equal("/tmp/experiments-settings-test/.experiments/results.db", settings.StorePath);
        Assert.Equal("postgres://sweeper@127.0.0.1:1/results", StoreAccess.Locate(settings).ToString());
    }
}
