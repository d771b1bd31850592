using Experiments.Results;

namespace Experiments.Store.Tests.Infrastructure;

/// <summary>One attempt of the history (not part of <see cref="IResultStore"/>), read straight from the database.</summary>
public sealed record AttemptRow(int Attempt, string Status, string? Worker, string? Error, string? Reason);

/// <summary>
/// A store implementation under the contract tests: a fresh, empty place per test (a file, or a PostgreSQL schema) and
/// the few things a test must see or do behind the store's back, in that database's own terms.
/// </summary>
public interface IStoreBackend : IDisposable
{
    /// <summary>A new instance (its own connection, as another process would have) on this test's store.</summary>
    IResultStore Open(TimeProvider clock);

    /// <summary>A new instance on another new, empty store named <paramref name="place"/> (same name, same store).</summary>
    IResultStore OpenAt(string place, TimeProvider clock);

    /// <summary>How many migrations the store named <paramref name="place"/> has recorded, and the highest version.</summary>
    (long Rows, long Version) SchemaVersions(string place);

    /// <summary>The schema version the implementation writes.</summary>
    int LatestSchemaVersion { get; }

    IReadOnlyList<AttemptRow> History(string experiment, string trialId);

    /// <summary>Makes the database refuse (with the message "epoch N refused") any epoch metric of epoch <paramref name="epoch"/>.</summary>
    void RefuseEpoch(int epoch);
}

/// <summary>Marks test classes that need a PostgreSQL server (see <see cref="StoreFactAttribute"/>).</summary>
public interface IRequiresPostgres;
