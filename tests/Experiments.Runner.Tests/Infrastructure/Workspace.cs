using Experiments.Results;
using Experiments.Store.Sqlite;

namespace Experiments.Runner.Tests.Infrastructure;

/// <summary>A temporary project folder with its own store and reports; runs the fixture against them.</summary>
internal sealed class Workspace : IDisposable
{
    public Workspace()
    {
        Directory = Path.Combine(Path.GetTempPath(), "experiments-runner-tests", Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string StorePath => Path.Combine(Directory, "results.db");

    public string ReportDirectory => Path.Combine(Directory, "reports");

    public string MarkerDirectory => Path.Combine(Directory, "markers");

    /// <summary>Environment for the fixture: quick trials by default, markers on.</summary>
    public Dictionary<string, string> Environment { get; } = new();

    /// <summary>Starts the fixture with this workspace's store and report folder (unless the command is `worker`).</summary>
    public FixtureProcess Start(params string[] args)
    {
        var environment = new Dictionary<string, string>(Environment) { ["FIXTURE_MARKERS"] = MarkerDirectory };
        var full = args.Concat(new[] { "--store", StorePath }).ToList();
        if (args.Length > 0 && args[0] is "run" or "report")
        {
            full.AddRange(["--output", ReportDirectory]);
        }
        return FixtureApp.Start(Directory, environment, full.ToArray());
    }

    public async Task<RunResult> RunAsync(params string[] args)
    {
        using var process = Start(args);
        return await process.WaitAsync();
    }

    public IResultStore OpenStore() => new SqliteResultStore(StorePath);

    public IReadOnlyList<TrialRecord> Trials(string experiment)
    {
        using var store = OpenStore();
        return store.GetTrials(experiment);
    }

    public IReadOnlyDictionary<string, int> Attempts(string experiment)
    {
        using var store = OpenStore();
        return store.GetAttemptCounts(experiment);
    }

    public void ClearMarkers()
    {
        if (System.IO.Directory.Exists(MarkerDirectory))
        {
            System.IO.Directory.Delete(MarkerDirectory, recursive: true);
        }
    }

    /// <summary>
    /// Waits until a trial whose id contains <paramref name="fragment"/> has started; returns the worker's pid. Without
    /// a <paramref name="process"/> (the run was started elsewhere, e.g. by Slurm) it waits for the marker alone.
    /// </summary>
    public async Task<int> WaitForStartAsync(string fragment, FixtureProcess? process, TimeSpan? timeout = null)
    {
        var name = string.Concat(fragment.Select(c => char.IsLetterOrDigit(c) ? c : '_'));
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (System.IO.Directory.Exists(MarkerDirectory)
                && System.IO.Directory.GetFiles(MarkerDirectory, "*.started").FirstOrDefault(f => Path.GetFileName(f).Contains(name)) is { } marker)
            {
                return int.Parse(Path.GetFileName(marker).Split('.')[^2]);
            }
            if (process is not null && process.Process.HasExited)
            {
                throw new InvalidOperationException($"the run ended before '{fragment}' started:\n{process.StandardOutput}\n{process.StandardError}");
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"'{fragment}' did not start:\n{process?.StandardOutput}\n{process?.StandardError}");
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A worker still closing a file: the temp folder is cleaned by the OS eventually.
        }
    }
}
