using Experiments.Results;
using Experiments.Store.Sqlite;
using Experiments.Store.Tests.Contract;
using Experiments.Store.Tests.Infrastructure;

namespace Experiments.Store.Tests.Sqlite;

/// <summary>What only the SQLite store has: a file (its folder, WAL journal, schema migrations of old files).</summary>
public sealed class SqliteSchemaTests() : StoreContract(new SqliteBackend())
{
    private SqliteBackend Sqlite => (SqliteBackend)Backend;
    private string FilePath => Sqlite.FilePath;

    [Fact]
    public void A_new_file_is_created_with_its_folder_and_gets_the_current_schema_version_in_WAL_mode()
    {
        using (Open())
        {
        }

        Assert.True(File.Exists(FilePath));
        Assert.Equal(((long)SqliteResultStore.SchemaVersion, (long)SqliteResultStore.SchemaVersion), Backend.SchemaVersions(".experiments"));
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={FilePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public void A_version_1_file_is_migrated_and_its_given_up_attempts_get_their_reason()
    {
        using (var store = Open())
        {
            store.Register(Info(), Plan());
        }
        // Back to what version 1 wrote: no reason column, history rows that say why only in their error text.
        Sqlite.Execute("""
            ALTER TABLE attempts DROP COLUMN reason;
            DELETE FROM schema_info WHERE version > 1;
            UPDATE trials SET attempt = 2, status = 'running' WHERE trial_id = 'resnet18/lr=0.008#1';
            INSERT INTO attempts (experiment, trial_id, attempt, status, error) VALUES
                ('FineTune', 'resnet18/lr=0.008#1', 1, 'interrupted', 'Abandoned: no heartbeat from worker h:1:s since 2025-01-01 12:00:00 UTC.'),
                ('FineTune', 'resnet18/lr=0.008#1', 2, 'interrupted', 'Abandoned: worker h:2:s is no longer running (last heartbeat never).');
            """);

        using var reopened = Open();

        Assert.Equal((2L, 2L), Backend.SchemaVersions(".experiments"));
        Assert.Equal(["lease expired", "worker gone"], History("resnet18/lr=0.008#1").Select(h => h.Reason));
        Assert.Equal(Plan().Length, reopened.GetTrials(Experiment).Count);
    }

    [Fact]
    public void A_file_from_a_newer_version_is_refused_with_both_versions_and_the_path()
    {
        using (var store = Open())
        {
            store.Register(Info(), Plan());
        }
        Sqlite.Execute("INSERT INTO schema_info (version, applied_at) VALUES (99, 0)");

        var error = Assert.Throws<ResultStoreException>(() => new SqliteResultStore(FilePath));

        Assert.Contains(FilePath, error.Message);
        Assert.Contains("99", error.Message);
        Assert.Contains($"version {SqliteResultStore.SchemaVersion}", error.Message);
        // Nothing was changed: removing the newer version makes it readable again.
        Sqlite.Execute("DELETE FROM schema_info WHERE version = 99");
        using var reopened = Open();
        Assert.Equal(Plan().Length, reopened.GetTrials(Experiment).Count);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_with_its_path()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, "trial_id,error_rate\n" + new string('x', 4096));

        var error = Assert.Throws<ResultStoreException>(() => new SqliteResultStore(FilePath));

        Assert.Contains(FilePath, error.Message);
    }

    [Fact]
    public void Another_applications_database_is_refused_and_left_alone()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        Sqlite.Execute("CREATE TABLE customers (id INTEGER PRIMARY KEY); INSERT INTO customers (id) VALUES (7);");
        var before = File.ReadAllBytes(FilePath);

        var error = Assert.Throws<ResultStoreException>(() => new SqliteResultStore(FilePath));

        Assert.Contains(FilePath, error.Message);
        Assert.Contains("not an Experiments results store", error.Message);
        // Checked before anything is written: not even the switch to WAL (header bytes 18 and 19: 1 → 2) happened.
        Assert.Equal(before, File.ReadAllBytes(FilePath));
        Assert.Equal((1, 1), (before[18], before[19]));
        Assert.False(File.Exists(FilePath + "-wal"));
    }

    [Fact]
    public void A_file_that_is_not_a_database_says_so_and_is_left_alone()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, "trial_id,error_rate\n" + new string('x', 4096));
        var before = File.ReadAllBytes(FilePath);

        var error = Assert.Throws<ResultStoreException>(() => new SqliteResultStore(FilePath));

        Assert.StartsWith($"Results store '{FilePath}': the file is not a SQLite database (", error.Message);
        Assert.Equal(before, File.ReadAllBytes(FilePath));
    }
}
