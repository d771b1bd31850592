using Experiments.Store.Tests.Infrastructure;

namespace Experiments.Runner.Tests.Infrastructure;

/// <summary>A test that needs the throwaway PostgreSQL cluster: skipped, with the reason, when its binaries are absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresCluster.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>The runner's PostgreSQL tests share one cluster (the store tests' <see cref="PostgresCluster"/>).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresRunnerCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL runner";
}
