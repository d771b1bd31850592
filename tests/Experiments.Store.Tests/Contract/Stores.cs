using Experiments.Store.Tests.Infrastructure;

namespace Experiments.Store.Tests.Contract;

// Each contract class against each store: the same tests, two fixtures.

public sealed class SqliteClaimTests() : ClaimTests(new SqliteBackend());

public sealed class SqliteConcurrencyTests() : ConcurrencyTests(new SqliteBackend());

public sealed class SqliteLifeCycleTests() : LifeCycleTests(new SqliteBackend());

public sealed class SqliteRegisterTests() : RegisterTests(new SqliteBackend());

[Collection(PostgresCollection.Name)]
public sealed class PostgresClaimTests(PostgresCluster cluster) : ClaimTests(new PostgresBackend(cluster)), IRequiresPostgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresConcurrencyTests(PostgresCluster cluster) : ConcurrencyTests(new PostgresBackend(cluster)), IRequiresPostgres
{
    // Every round creates a store from scratch on 8 connections with password authentication: fewer rounds keep it fast.
    protected override int NewStoreRounds => 5;
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresLifeCycleTests(PostgresCluster cluster) : LifeCycleTests(new PostgresBackend(cluster)), IRequiresPostgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresRegisterTests(PostgresCluster cluster) : RegisterTests(new PostgresBackend(cluster)), IRequiresPostgres;

public sealed class SqlitePromoteTests() : PromoteTests(new SqliteBackend());

[Collection(PostgresCollection.Name)]
public sealed class PostgresPromoteTests(PostgresCluster cluster) : PromoteTests(new PostgresBackend(cluster)), IRequiresPostgres;
