using Xunit.Abstractions;
using Xunit.Sdk;

namespace Experiments.Store.Tests.Infrastructure;

/// <summary>
/// A fact of the store tests. In a class that needs PostgreSQL (<see cref="IRequiresPostgres"/>) it is reported as
/// skipped, with the reason, when the server binaries are not installed — decided per concrete class, so one test
/// written once in a contract class runs on SQLite and is skipped on PostgreSQL only there.
/// </summary>
[XunitTestCaseDiscoverer("Experiments.Store.Tests.Infrastructure.StoreFactDiscoverer", "Experiments.Store.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var testClass = testMethod.TestClass.Class.ToRuntimeType();
        if (testClass is not null && typeof(IRequiresPostgres).IsAssignableFrom(testClass) && PostgresCluster.MissingReason is { } reason)
        {
            return new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason);
        }
        return base.CreateTestCase(discoveryOptions, testMethod, factAttribute);
    }
}
