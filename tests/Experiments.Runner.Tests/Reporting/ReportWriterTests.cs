using Experiments.Results;
using Experiments.Runner;
using Experiments.Runner.Reporting;
using Experiments.Store.Sqlite;

namespace Experiments.Runner.Tests.Reporting;

/// <summary>The report writer puts each dataset's scatter plot next to the Markdown file, and the Markdown links it.</summary>
public sealed class ReportWriterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "experiments-report-writer-tests", Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void The_report_links_the_scatter_plots_written_next_to_it()
    {
        var experiment = new ExperimentInfo("Sweep", 2, MetricNames.ErrorRate, Goal.Minimize, 80, 8, 0,
        [
            new ParameterDefinition("Dataset", "dataset", "string", true, ["pets", "planet"]),
            new ParameterDefinition("Arch", "arch", "string", true, ["resnet18", "convnext_tiny"],
            [
                new Dictionary<string, string> { ["family"] = "resnet" },
                new Dictionary<string, string> { ["family"] = "convnext" },
            ]),
        ], []);
        var storePath = Path.Combine(_directory, "results.db");
        var settings = new ProjectSettings(_directory, storePath, Path.Combine(_directory, "reports"), null, new BuildIdentity("b1", "r1"), null);
        using var store = new SqliteResultStore(storePath);
        Fill(store, experiment);

        var markdownPath = ReportWriter.WriteMarkdown(store, experiment, settings, "cpu");

        var markdown = File.ReadAllText(markdownPath);
        foreach (var dataset in new[] { "pets", "planet" })
        {
            var name = $"Sweep-{dataset}-scatter.png";
            Assert.Contains($"]({name})", markdown);
            var png = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(markdownPath)!, name));
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
            Assert.True(png.Length > 10_000, $"{name} has {png.Length} bytes");
        }
        Assert.DoesNotContain(Directory.GetFiles(settings.ReportDirectory), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    private static void Fill(SqliteResultStore store, ExperimentInfo experiment)
    {
        var planned = new List<PlannedTrial>();
        foreach (var repeat in new[] { 1, 2 })
        {
            foreach (var dataset in experiment.Parameters[0].Values)
            {
                foreach (var arch in experiment.Parameters[1].Values)
                {
                    planned.Add(new PlannedTrial($"{dataset}/{arch}#{repeat}", planned.Count, repeat, [new("Dataset", dataset), new("Arch", arch)]));
                }
            }
        }
        store.Register(experiment, planned);

        var worker = WorkerIdentity.ForCurrentProcess();
        foreach (var trial in planned)
        {
            var attempt = store.TryClaim(experiment.Name, trial.TrialId, worker, DateTimeOffset.UtcNow, rerunPassed: false, TimeSpan.FromMinutes(5));
            Assert.NotNull(attempt);
            var convnext = trial.TrialId.Contains("convnext", StringComparison.Ordinal);
            var metrics = new Dictionary<string, double>
            {
                [MetricNames.ErrorRate] = (convnext ? 0.04 : 0.07) + 0.002 * trial.Repeat,
                [MetricNames.FitTime] = (convnext ? 60 : 20) + trial.Repeat,
            };
            Assert.True(store.Complete(experiment.Name, trial.TrialId, attempt.Value, worker,
                new TrialOutcome(TrialStatus.Passed, 30, null, metrics, new BuildIdentity("b1", "r1"), "cpu")));
        }
    }
}
