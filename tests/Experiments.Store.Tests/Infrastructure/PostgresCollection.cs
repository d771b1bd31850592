namespace Experiments.Store.Tests.Infrastructure;

/// <summary>The PostgreSQL test classes share one cluster and run one after another (a restart test drops connections).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL";
}
