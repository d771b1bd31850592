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

    [Fact]
    public void Dotnet_test_runs_a_successive_halving_search_with_its_promoted_rungs_as_tests()
    {
        var hive = sdk.CreateFolder("hive-halving");
        var workspace = sdk.CreateFolder("templates-halving");
        sdk.DotNet(workspace, log, "new", "install", sdk.PackageFile("Experiments.Templates"), "--debug:custom-hive", hive).ShouldSucceed();
        sdk.DotNet(workspace, log, "new", "experiment", "-n", "Demo", "--no-update-check", "--debug:custom-hive", hive).ShouldSucceed();
        var project = Path.Combine(workspace, "Demo");
        // The template's model under successive halving: nine learning rates start at 1 epoch, the best third moves to
        // 3 epochs and the best of those to 9.
        File.WriteAllText(Path.Combine(project, "LogisticHalving.cs"), """
            namespace Demo;

            [Experiment(Objective = MetricNames.ErrorRate, Search = Search.SuccessiveHalving, ReductionFactor = 3)]
            public partial class LogisticHalving
            {
                [Values(0.00001, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, Key = "lr")]
                public partial double LearningRate { get; }

                [Budget(1, 9)]
                public partial int Epochs { get; }

                public Task<TrialResult> RunAsync(TrialContext context)
                {
                    var (trainX, trainY) = TwoBlobs.Generate(count: 400, seed: 1);
                    var (validX, validY) = TwoBlobs.Generate(count: 200, seed: 2);
                    var random = new Random(context.Seed);
                    var model = new LogisticModel(random);
                    for (var epoch = 1; epoch <= Epochs; epoch++)
                    {
                        model.TrainEpoch(trainX, trainY, LearningRate, random);
                    }
                    return Task.FromResult(TrialResult.Success((MetricNames.ErrorRate, model.Evaluate(validX, validY).ErrorRate)));
                }
            }
            """);

        DotNetTest(project, "halving", "--output", "detailed").ShouldSucceed();

        var tests = ReadTrxTests(project, "halving").Where(t => t.ClassName.EndsWith("LogisticHalving", StringComparison.Ordinal)).ToList();
        Assert.All(tests, test => Assert.Equal("Passed", test.Outcome));
        int At(int epochs) => tests.Count(t => t.Name.Contains($"/epochs={epochs}#", StringComparison.Ordinal));
        Assert.Equal(9, At(1));
        Assert.InRange(At(3), 3, 9);
        Assert.InRange(At(9), 1, At(3));
        Assert.Equal(At(1) + At(3) + At(9), tests.Count);
    }

    private CommandResult DotNetTest(string project, string results, params string[] arguments) =>
        sdk.DotNet(project, log, ["test", "--report-trx", "--results-directory", Path.Combine(project, "TestResults", results), .. arguments]);

    private sealed record TrxTest(string Name, string ClassName, string Outcome, IReadOnlyDictionary<string, string> Properties);

    /// <summary>The one TRX file of a run, as test name → class, outcome and properties.</summary>
    private static Dictionary<string, TrxTest> ReadTrx(string project, string results)
        => ReadTrxTests(project, results).ToDictionary(t => t.Name);

    /// <summary>Every test of the one TRX file of a run (two experiments may have trials of one name).</summary>
    private static List<TrxTest> ReadTrxTests(string project, string results)
    {
        var trx = Assert.Single(Directory.GetFiles(Path.Combine(project, "TestResults", results), "*.trx"));
        var root = XDocument.Load(trx).Root!;
        var ns = root.Name.Namespace;
        var outcomes = root.Descendants(ns + "UnitTestResult").ToDictionary(r => r.Attribute("testId")!.Value, r => r.Attribute("outcome")!.Value);
        return root.Descendants(ns + "UnitTest").Select(t => new TrxTest(
                t.Attribute("name")!.Value,
                t.Element(ns + "TestMethod")!.Attribute("className")!.Value,
                outcomes[t.Attribute("id")!.Value],
                t.Descendants(ns + "Property").ToDictionary(p => p.Element(ns + "Key")!.Value, p => p.Element(ns + "Value")!.Value)))
            .ToList();
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
