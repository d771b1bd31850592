using Experiments.Results;
using Experiments.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace Experiments.Store.Tests;

/// <summary>A clock the test moves by hand, so heartbeats and sweeps are deterministic.</summary>
public sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>A temporary folder with a store file in a not-yet-existing subfolder; deleted afterwards.</summary>
public abstract class StoreFixture : IDisposable
{
    protected const string Experiment = "FineTune";
    protected static readonly TimeSpan Stale = TimeSpan.FromMinutes(5);
    protected static readonly WorkerIdentity WorkerA = new("host-a", 100, "aaaa1111");
    protected static readonly WorkerIdentity WorkerB = new("host-b", 200, "bbbb2222");

    private readonly List<IDisposable> _stores = new();

    protected StoreFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "experiments-store-tests", Guid.NewGuid().ToString("N"));
        FilePath = Path.Combine(Folder, ".experiments", "results.db");
    }

    protected string Folder { get; }
    protected string FilePath { get; }
    protected ManualClock Clock { get; } = new();

    protected SqliteResultStore Open()
    {
        var store = new SqliteResultStore(FilePath, Clock);
        _stores.Add(store);
        return store;
    }

    protected static ExperimentInfo Info(int repeats = 2) => new(
        Experiment,
        repeats,
        "error_rate",
        Goal.Minimize,
        80,
        MatrixSize: 4 * repeats,
        RemovedByRules: 1,
        [
            new ParameterDefinition("Arch", "arch", "string", true, ["resnet18", "vit_tiny"],
            [
                new Dictionary<string, string> { ["family"] = "resnet", ["params"] = "11.7M" },
                new Dictionary<string, string> { ["family"] = "vit", ["input_size"] = "224" },
            ]),
            new ParameterDefinition("LearningRate", "lr", "double", false, ["0.008", "0.02"]),
        ],
        ["exclude vit_* with Pad"]);

    /// <summary>Trials of <see cref="Info"/> in matrix order (repeat-major).</summary>
    protected static PlannedTrial[] Plan(int repeats = 2) =>
    (
        from repeat in Enumerable.Range(1, repeats)
        from arch in new[] { "resnet18", "vit_tiny" }
        from lr in new[] { "0.008", "0.02" }
        select (repeat, arch, lr)
    ).Select((t, i) => new PlannedTrial($"{t.arch}/lr={t.lr}#{t.repeat}", i, t.repeat,
        [new("Arch", t.arch), new("LearningRate", t.lr)])).ToArray();

    protected static TrialOutcome Outcome(TrialStatus status, string? error = null, params (string Name, double Value)[] metrics)
        => new(status, 12.5, error, metrics.ToDictionary(m => m.Name, m => m.Value), new BuildIdentity("mvid-1", "abc123"), "cpu");

    protected static TrialOutcome Passed(double errorRate = 0.1)
        => Outcome(TrialStatus.Passed, null, ("error_rate", errorRate), ("fit_time", 12.5));

    protected static TrialRecord Trial(SqliteResultStore store, string trialId)
        => store.GetTrials(Experiment).Single(t => t.TrialId == trialId);

    /// <summary>The attempt history (not part of <see cref="IResultStore"/>), read straight from the file.</summary>
    protected List<(int Attempt, string Status, string? Worker, string? Error)> History(string trialId)
    {
        using var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT attempt, status, worker, error FROM attempts WHERE experiment = $e AND trial_id = $t ORDER BY attempt";
        command.Parameters.AddWithValue("$e", Experiment);
        command.Parameters.AddWithValue("$t", trialId);
        using var reader = command.ExecuteReader();
        var rows = new List<(int, string, string?, string?)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        return rows;
    }

    protected void ExecuteRaw(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
        GC.SuppressFinalize(this);
    }
}
