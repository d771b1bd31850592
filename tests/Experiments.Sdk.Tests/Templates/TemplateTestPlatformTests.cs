using System.Globalization;
using System.Xml.Linq;
using Experiments.Sdk.Tests.EndToEnd;
using Experiments.Sdk.Tests.Infrastructure;

namespace Experiments.Sdk.Tests.Templates;

/// <summary>
/// <c>dotnet test</c> on a project made by <c>dotnet new experiment</c> with the packed SDK (one build): the sample's
/// 8 trials are 8 tests, with their ids and metrics in the TRX report; a second <c>dotnet test</c> reports them passed
/// from the store without running them; <c>--rerun</c> runs them again.
/// </summary>
[Collection(PackedSdkCollection.Name)]
public sealed class TemplateTestPlatformTests(PackedSdkFixture sdk, ITestOutputHelper log)
{
    /// <summary>What the test platform adapter says of a trial it reports from the store.</summary>
    private const string FromStore = "result from the store, not run again";

    private static readonly string[] SampleTrialIds =
    [
        "lr=0.001/epochs=1#1", "lr=0.001/epochs=10#1", "lr=0.1/epochs=1#1", "lr=0.1/epochs=10#1",
        "lr=0.001/epochs=1#2", "lr=0.001/epochs=10#2", "lr=0.1/epochs=1#2", "lr=0.1/epochs=10#2",
    ];

    [Fact]
    public void Dotnet_test_runs_the_trials_as_tests_then_reports_them_from_the_store_and_reruns_them_on_request()
    {
        var hive = sdk.CreateFolder("hive-test");
        var workspace = sdk.CreateFolder("templates-test");
        sdk.DotNet(workspace, log, "new", "install", sdk.PackageFile("Experiments.Templates"), "--debug:custom-hive", hive).ShouldSucceed();
        sdk.DotNet(workspace, log, "new", "experiment", "-n", "Demo", "--no-update-check", "--debug:custom-hive", hive).ShouldSucceed();
        var project = Path.Combine(workspace, "Demo");

        // 1. Builds (the one build of this test) and runs the 8 trials: 8 tests, passed, with ids and metrics.
        var first = DotNetTest(project, "first", "--output", "detailed").ShouldSucceed().ShouldNotContain(FromStore);
        var ran = ReadTrx(project, "first");
        Assert.Equal(SampleTrialIds.Order(StringComparer.Ordinal), ran.Keys.Order(StringComparer.Ordinal));
        Assert.All(ran.Values, test =>
        {
            Assert.Equal("Passed", test.Outcome);
            Assert.Equal(TemplateLayout.SampleExperiment, test.ClassName);
            Assert.InRange(double.Parse(test.Properties["error_rate"], CultureInfo.InvariantCulture), 0, 1);
            Assert.True(test.Properties.ContainsKey("valid_loss") && test.Properties.ContainsKey("fit_time"), string.Join(", ", test.Properties.Keys));
            // The parameters too, as the trial id names them.
            Assert.StartsWith($"lr={test.Properties["LearningRate"]}/epochs={test.Properties["Epochs"]}#", test.Name);
        });
        Assert.All(StoredTrials(project), trial => Assert.Equal(("passed", "1"), (trial.Status, trial.Attempt)));

        // 2. Nothing runs: each trial is reported passed from the store, with the metrics it recorded.
        var second = DotNetTest(project, "second", "--no-build", "--output", "detailed").ShouldSucceed();
        Assert.Equal(SampleTrialIds.Length, second.Lines.Count(line => line.Contains(FromStore, StringComparison.Ordinal)));
        var reported = ReadTrx(project, "second");
        Assert.Equal(ran.Keys.Order(StringComparer.Ordinal), reported.Keys.Order(StringComparer.Ordinal));
        Assert.All(reported.Values, test =>
        {
            Assert.Equal("Passed", test.Outcome);
            Assert.Equal(ran[test.Name].Properties, test.Properties);
        });
        Assert.All(StoredTrials(project), trial => Assert.Equal(("passed", "1"), (trial.Status, trial.Attempt)));

        // 3. --rerun runs them again: a second attempt of each in the store.
        DotNetTest(project, "third", "--no-build", "--rerun", "--output", "detailed").ShouldSucceed().ShouldNotContain(FromStore);
        Assert.All(ReadTrx(project, "third").Values, test => Assert.Equal("Passed", test.Outcome));
        Assert.All(StoredTrials(project), trial => Assert.Equal(("passed", "2"), (trial.Status, trial.Attempt)));
        Assert.True(File.Exists(Path.Combine(project, "reports", $"{TemplateLayout.SampleExperiment}.md")), "the sweep should have written its report");
        log.WriteLine(first.Output);
    }

    private CommandResult DotNetTest(string project, string results, params string[] arguments) =>
        sdk.DotNet(project, log, ["test", "--report-trx", "--results-directory", Path.Combine(project, "TestResults", results), .. arguments]);

    private sealed record TrxTest(string Name, string ClassName, string Outcome, IReadOnlyDictionary<string, string> Properties);

    /// <summary>The one TRX file of a run, as test name → class, outcome and properties.</summary>
    private static Dictionary<string, TrxTest> ReadTrx(string project, string results)
    {
        var trx = Assert.Single(Directory.GetFiles(Path.Combine(project, "TestResults", results), "*.trx"));
        var root = XDocument.Load(trx).Root!;
        var ns = root.Name.Namespace;
        var outcomes = root.Descendants(ns + "UnitTestResult").ToDictionary(r => r.Attribute("testId")!.Value, r => r.Attribute("outcome")!.Value);
        return root.Descendants(ns + "UnitTest").ToDictionary(
            t => t.Attribute("name")!.Value,
            t => new TrxTest(
                t.Attribute("name")!.Value,
                t.Element(ns + "TestMethod")!.Attribute("className")!.Value,
                outcomes[t.Attribute("id")!.Value],
                t.Descendants(ns + "Property").ToDictionary(p => p.Element(ns + "Key")!.Value, p => p.Element(ns + "Value")!.Value)));
    }

    /// <summary>Each trial's status and attempt number in the store, read through the runner's own CSV export.</summary>
    private List<(string Status, string Attempt)> StoredTrials(string project)
    {
        sdk.DotNet(project, log, "run", "--no-build", "--", "export", "csv").ShouldSucceed();
        var lines = File.ReadAllLines(Path.Combine(project, "reports", $"{TemplateLayout.SampleExperiment}.csv")).Where(l => l.Length > 0).ToList();
        var header = lines[0].Split(',');
        var (status, attempt) = (Array.IndexOf(header, "status"), Array.IndexOf(header, "attempt"));
        var rows = lines.Skip(1).Select(line => line.Split(',')).Select(cells => (cells[status], cells[attempt])).ToList();
        Assert.Equal(SampleTrialIds.Length, rows.Count);
        return rows;
    }
}
