using Experiments.Store.Sqlite;

namespace Experiments.Store.Tests;

public sealed class SchemaTests : StoreFixture
{
    [Fact]
    public void A_new_file_gets_the_current_schema_version()
    {
        using (Open())
        {
        }

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={FilePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(version) FROM schema_info";
        Assert.Equal((long)SqliteResultStore.SchemaVersion, command.ExecuteScalar());
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public void A_file_from_a_newer_version_is_refused_with_both_versions_and_the_path()
    {
        using (var store = Open())
        {
            store.Register(Info(), Plan());
        }
        ExecuteRaw("INSERT INTO schema_info (version, applied_at) VALUES (99, 0)");

        var error = Assert.Throws<InvalidOperationException>(() => new SqliteResultStore(FilePath));

        Assert.Contains(FilePath, error.Message);
        Assert.Contains("99", error.Message);
        Assert.Contains($"version {SqliteResultStore.SchemaVersion}", error.Message);
        // Nothing was changed: removing the newer version makes it readable again.
        ExecuteRaw("DELETE FROM schema_info WHERE version = 99");
        using var reopened = Open();
        Assert.Equal(Plan().Length, reopened.GetTrials(Experiment).Count);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_with_its_path()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, "trial_id,error_rate\n" + new string('x', 4096));

        var error = Assert.Throws<InvalidOperationException>(() => new SqliteResultStore(FilePath));

        Assert.Contains(FilePath, error.Message);
    }

    [Fact]
    public void Another_applications_database_is_refused_and_left_alone()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        ExecuteRaw("CREATE TABLE customers (id INTEGER PRIMARY KEY)");

        var error = Assert.Throws<InvalidOperationException>(() => new SqliteResultStore(FilePath));

        Assert.Contains(FilePath, error.Message);
        Assert.Contains("not an Experiments results store", error.Message);
    }
}
