using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Experiments.Results;
using Experiments.Runner.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Experiments.Runner.Tests.Faults;

/// <summary>
/// The kill -9 fault test of issue 15, on any store: <see cref="Hosts"/> concurrent <c>run</c> hosts (each with its
/// worker process) on one store, <see cref="Rounds"/> rounds; in each, a seeded schedule kills some hosts or their
/// workers with SIGKILL at random moments and lets the rest finish; then one clean run completes what is left. The
/// store must then show every trial passed, no attempt after a passed one (no duplicate execution), and every result a
/// host printed as ✓ before it died.
/// </summary>
internal sealed class KillRounds
{
    public const int Hosts = 4;
    public const int Rounds = 10;
    public const int Seed = 15;
    private const string Experiment = "Fast";
    private const int TrialCount = 8;
    private const int SigKill = 9;

    private readonly Workspace _workspace;
    private readonly Dictionary<string, string> _environment;
    private readonly string[] _storeArguments;
    private readonly Func<IResultStore> _openStore;
    private readonly Func<DbConnection> _openConnection;
    private readonly ITestOutputHelper _output;
    private readonly string _storeName;

    public KillRounds(Workspace workspace, string storeName, string storeArgument, Func<IResultStore> openStore, Func<DbConnection> openConnection, ITestOutputHelper output)
    {
        _workspace = workspace;
        _storeName = storeName;
        _storeArguments = ["--store", storeArgument, "--output", workspace.ReportDirectory];
        _openStore = openStore;
        _openConnection = openConnection;
        _output = output;
        // Trials long enough (2 s) for a kill to land in the middle of one; each host takes one trial per round.
        _environment = new Dictionary<string, string> { ["FIXTURE_FAST_MS"] = "2000", ["FIXTURE_MARKERS"] = workspace.MarkerDirectory };
    }

    public async Task RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(Seed);
        var printedPassed = new HashSet<string>(StringComparer.Ordinal);
        var orphans = new List<int>();
        int hostKills = 0, workerKills = 0, missedKills = 0, lost = 0;

        for (var round = 1; round <= Rounds; round++)
        {
            // The schedule is drawn before the round starts, the same every time: (what, when) per host.
            var plan = Enumerable.Range(0, Hosts).Select(_ =>
            {
                var roll = random.NextDouble();
                var target = roll < 0.3 ? KillTarget.Host : roll < 0.6 ? KillTarget.Worker : KillTarget.None;
                return (Target: target, DelayMs: random.Next(0, 2400));
            }).ToArray();

            var hosts = Enumerable.Range(0, Hosts)
                .Select(_ => FixtureApp.Start(_workspace.Directory, _environment,
                    ["run", "--experiment", Experiment, "--max-trials", "1", "--lease", "15", .. _storeArguments]))
                .ToArray();
            try
            {
                var kills = hosts.Select((host, i) => KillAsync(host, plan[i].Target, plan[i].DelayMs)).ToArray();
                var done = await Task.WhenAll(kills);
                var results = await Task.WhenAll(hosts.Select(h => h.WaitAsync(TimeSpan.FromSeconds(60))));
                var line = new List<string>();
                for (var i = 0; i < Hosts; i++)
                {
                    var (outcome, workerPid) = done[i];
                    switch (outcome)
                    {
                        case KillOutcome.HostKilled:
                            hostKills++;
                            if (workerPid is { } orphan)
                            {
                                orphans.Add(orphan);
                            }
                            break;
                        case KillOutcome.WorkerKilled:
                            workerKills++;
                            break;
                        case KillOutcome.Missed:
                            missedKills++;
                            break;
                    }
                    var result = results[i];
                    if (outcome != KillOutcome.HostKilled)
                    {
                        // A host that was left alone ends normally: 1 when its worker was killed (the trial failed).
                        Assert.True(result.ExitCode is 0 or 1, $"round {round}, host {i + 1}:\n{result}");
                    }
                    Assert.DoesNotContain("Unhandled exception", result.ToString());
                    var passed = result.TrialLines.Where(l => l.Passed).Select(l => l.TrialId).ToArray();
                    foreach (var id in passed)
                    {
                        // A second ✓ for a trial is a duplicate execution the store would show too.
                        Assert.True(printedPassed.Add(id), $"round {round}, host {i + 1} passed {id} again:\n{result}");
                    }
                    var notes = result.Lines.Where(l => l.Contains('✗') || l.Contains("died", StringComparison.Ordinal) || l.StartsWith("error", StringComparison.Ordinal)).Select(l => l.Trim());
                    line.Add($"host {i + 1}: {Describe(plan[i].Target, plan[i].DelayMs, outcome)}, exit {result.ExitCode}, ✓ {passed.Length}{string.Concat(notes.Select(n => $" [{n}]"))}");
                }

                // Every ✓ printed so far is in the store as passed, with a passed attempt in the history.
                var (trials, history) = ReadStore();
                var lostNow = printedPassed.Count(id => trials[id].Status != TrialStatus.Passed || !history.Any(a => a.TrialId == id && a.Status == "passed"));
                lost += lostNow;
                _output.WriteLine($"[{_storeName}] round {round} ({clock.Elapsed.TotalSeconds:0.0} s): {string.Join("; ", line)}; "
                    + $"store: {trials.Values.Count(t => t.Status == TrialStatus.Passed)} passed, lost {lostNow}");
            }
            finally
            {
                foreach (var host in hosts)
                {
                    host.Dispose();
                }
            }
        }

        // The final clean run completes everything the rounds left.
        using var final = FixtureApp.Start(_workspace.Directory, _environment, ["run", "--experiment", Experiment, "--workers", "2", .. _storeArguments]);
        var last = await final.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.True(last.ExitCode == 0, last.ToString());
        var rerun = last.TrialLines.Select(l => l.TrialId).Where(printedPassed.Contains).ToArray();
        Assert.True(rerun.Length == 0, $"the final run ran trials that had passed: {string.Join(", ", rerun)}\n{last}");

        var (finalTrials, finalHistory) = ReadStore();
        Dictionary<string, int> attempts;
        using (var store = _openStore())
        {
            attempts = store.GetAttemptCounts(Experiment).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        }
        lost += printedPassed.Count(id => finalTrials[id].Status != TrialStatus.Passed);

        // A duplicate: any attempt (ended or not) numbered after the first passed one.
        var duplicates = 0;
        var passedAttempts = 0;
        foreach (var trial in finalTrials.Values)
        {
            var ended = finalHistory.Where(a => a.TrialId == trial.TrialId).ToArray();
            passedAttempts += ended.Count(a => a.Status == "passed");
            var firstPassed = ended.Where(a => a.Status == "passed").Select(a => a.Attempt).DefaultIfEmpty(int.MaxValue).Min();
            duplicates += Math.Max(0, trial.Attempt - firstPassed);
        }
        var orphansLeft = await OrphansLeftAsync(orphans, TimeSpan.FromSeconds(15));

        _output.WriteLine($"[{_storeName}] seed {Seed}: {Hosts} hosts x {Rounds} rounds + 1 final run in {clock.Elapsed.TotalSeconds:0.0} s");
        _output.WriteLine($"[{_storeName}] kills: {hostKills} hosts, {workerKills} workers ({missedKills} scheduled kills missed: the host ended first, with no trial left to run or its trial done); orphaned workers still alive after 15 s: {orphansLeft}");
        _output.WriteLine($"[{_storeName}] trials: {finalTrials.Values.Count(t => t.Status == TrialStatus.Passed)}/{TrialCount} passed, {finalTrials.Values.Count(t => t.Status == TrialStatus.Failed)} failed; final run ran {last.Closing.Passed + last.Closing.Failed}");
        _output.WriteLine($"[{_storeName}] attempts: {attempts.Values.Sum()} in all ({string.Join(", ", attempts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}); "
            + $"history: {finalHistory.Count} ended ({string.Join(", ", finalHistory.GroupBy(a => a.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"))})");
        _output.WriteLine($"[{_storeName}] duplicates of a passed trial: {duplicates}; passed attempts: {passedAttempts}; completed results lost: {lost} (of {printedPassed.Count} printed ✓ before the final run)");

        Assert.Equal(TrialCount, finalTrials.Count);
        Assert.All(finalTrials.Values, t => Assert.Equal(TrialStatus.Passed, t.Status));
        Assert.Equal(0, duplicates);
        Assert.Equal(TrialCount, passedAttempts);
        Assert.Equal(0, lost);
        Assert.Equal(0, orphansLeft);
        // Every attempt ended (none left running); a Fast trial fails only when its worker was killed, and an attempt
        // is interrupted only when its host was.
        Assert.Equal(attempts.Values.Sum(), finalHistory.Count);
        Assert.True(finalHistory.Count(a => a.Status == "failed") <= workerKills, "more failed attempts than killed workers");
        Assert.True(finalHistory.Count(a => a.Status == "interrupted") <= hostKills, "more interrupted attempts than killed hosts");
        Assert.True(hostKills > 0 && workerKills > 0, "the schedule killed no host or no worker: the test proves nothing");
    }

    private static string Describe(KillTarget target, int delayMs, KillOutcome outcome) => target switch
    {
        KillTarget.None => "left alone",
        _ => $"kill {target.ToString().ToLowerInvariant()} {delayMs / 1000.0:0.0} s into the trial: {outcome}",
    };

    /// <summary>
    /// Waits for the host's worker to start its trial (its marker file), then kills the host or the worker
    /// <paramref name="delayMs"/> later: mostly in the middle of the 2 s trial, sometimes just as it completes. A host
    /// that ends first (nothing left to run) is left alone: the kill is missed.
    /// </summary>
    private async Task<(KillOutcome Outcome, int? WorkerPid)> KillAsync(FixtureProcess host, KillTarget target, int delayMs)
    {
        if (target == KillTarget.None)
        {
            return (KillOutcome.None, null);
        }
        int? worker = null;
        var wait = Stopwatch.StartNew();
        while (worker is null && wait.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (host.Process.HasExited)
            {
                return (KillOutcome.Missed, null);
            }
            worker = Children(host.Process.Id).Cast<int?>().FirstOrDefault(pid => Directory.Exists(_workspace.MarkerDirectory)
                && Directory.GetFiles(_workspace.MarkerDirectory, $"*.{pid}.started").Length > 0);
            await Task.Delay(20);
        }
        if (worker is not { } workerPid)
        {
            return (KillOutcome.Missed, null);
        }
        await Task.Delay(delayMs);
        if (host.Process.HasExited)
        {
            return (KillOutcome.Missed, null);
        }
        if (target == KillTarget.Host)
        {
            try
            {
                host.Signal(SigKill);
                return (KillOutcome.HostKilled, workerPid);
            }
            catch (InvalidOperationException) when (host.Process.HasExited)
            {
                return (KillOutcome.Missed, null);
            }
        }
        try
        {
            using var process = Process.GetProcessById(workerPid);
            process.Kill();
            return (KillOutcome.WorkerKilled, workerPid);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // The worker ended meanwhile.
            return (KillOutcome.Missed, null);
        }
    }

    /// <summary>Child processes of <paramref name="pid"/> (Linux: /proc/PID/task/*/children).</summary>
    private static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        try
        {
            foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
            {
                var text = File.ReadAllText(Path.Combine(task, "children"));
                children.AddRange(text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)));
            }
        }
        catch (IOException)
        {
            // The process (or one of its threads) ended while we looked.
        }
        catch (UnauthorizedAccessException)
        {
        }
        return children;
    }

    private static async Task<int> OrphansLeftAsync(IReadOnlyList<int> pids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var alive = pids.Count(pid => File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Contains("RunnerFixture", StringComparison.Ordinal));
            if (alive == 0 || DateTime.UtcNow > deadline)
            {
                return alive;
            }
            await Task.Delay(100);
        }
    }

    private (Dictionary<string, TrialRecord> Trials, List<(string TrialId, int Attempt, string Status)> History) ReadStore()
    {
        Dictionary<string, TrialRecord> trials;
        using (var store = _openStore())
        {
            trials = store.GetTrials(Experiment).ToDictionary(t => t.TrialId, StringComparer.Ordinal);
        }
        var history = new List<(string, int, string)>();
        using var connection = _openConnection();
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT trial_id, attempt, status FROM attempts WHERE experiment = '{Experiment}' ORDER BY trial_id, attempt";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            history.Add((reader.GetString(0), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture), reader.GetString(2)));
        }
        return (trials, history);
    }

    private enum KillTarget
    {
        None,
        Host,
        Worker,
    }

    private enum KillOutcome
    {
        None,
        HostKilled,
        WorkerKilled,
        Missed,
    }
}
