using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Experiments.Runner.Tests.Infrastructure;

/// <summary>
/// A throwaway single-node Slurm cluster on localhost (Debian's slurm-wlm and munge): its own munged (as the munge
/// user, with its own key and socket), slurmctld and slurmd on free ports, every file in a temp folder, and
/// <c>SLURM_CONF</c> pointing at its slurm.conf for the commands the tests run. Start-up takes a few seconds.
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    private static readonly string[] Binaries = ["/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch"];

    private readonly string? _mungePidFile;

    public SlurmCluster()
    {
        if (MissingReason is not null)
        {
            return;
        }
        Directory = System.IO.Directory.CreateTempSubdirectory("experiments-slurm-").FullName;
        // Slurm and munge check the permissions of what they use: the folder readable, munge's own folder private.
        Run("chmod", "755", Directory);
        var munge = Path.Combine(Directory, "munge");
        foreach (var folder in new[] { munge, Path.Combine(Directory, "spool"), Path.Combine(Directory, "state"), Path.Combine(Directory, "log") })
        {
            System.IO.Directory.CreateDirectory(folder);
        }
        Run("chown", "munge:munge", munge);
        Run("chmod", "700", munge);
        var socket = Path.Combine(munge, "munge.socket");
        Run("runuser", "-u", "munge", "--", "mungekey", "--create", $"--keyfile={munge}/munge.key");
        Run("runuser", "-u", "munge", "--", "munged", "--force", $"--socket={socket}", $"--key-file={munge}/munge.key",
            $"--pid-file={munge}/munged.pid", $"--log-file={munge}/munged.log", $"--seed-file={munge}/munged.seed");
        _mungePidFile = $"{munge}/munged.pid";

        ConfigPath = Path.Combine(Directory, "slurm.conf");
        File.WriteAllText(ConfigPath, $"""
            ClusterName=experiments
            SlurmctldHost=localhost
            SlurmctldPort={FreePort()}
            SlurmdPort={FreePort()}
            SlurmUser=root
            SlurmdUser=root
            AuthType=auth/munge
            CredType=cred/munge
            AuthInfo=cred_expire=10,socket={socket}
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            SchedulerParameters=sched_interval=1,bf_interval=1
            AccountingStorageType=accounting_storage/none
            JobAcctGatherType=jobacct_gather/none
            JobCompType=jobcomp/none
            MailProg=/bin/true
            StateSaveLocation={Directory}/state
            SlurmdSpoolDir={Directory}/spool
            SlurmctldPidFile={Directory}/slurmctld.pid
            SlurmdPidFile={Directory}/slurmd.pid
            SlurmctldLogFile={Directory}/log/slurmctld.log
            SlurmdLogFile={Directory}/log/slurmd.log
            ReturnToService=2
            MinJobAge=600
            KillWait=10
            NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
            PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP

            """);
        Run("slurmctld", "-i");
        Run("slurmd", "-N", "localhost");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Run("sinfo", "-h", "-o", "%T").Trim() != "idle")
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the Slurm node did not become idle:\n{Log()}");
            }
            Thread.Sleep(200);
        }
    }

    /// <summary>Why the cluster cannot start here (no Slurm or munge binaries), or null.</summary>
    public static string? MissingReason { get; } = Binaries.FirstOrDefault(b => !File.Exists(b)) is { } missing
        ? $"Slurm is not installed ({missing} is missing): `apt-get install slurm-wlm munge` to run this test (CI installs them)."
        : null;

    public string Directory { get; } = string.Empty;

    public string ConfigPath { get; } = string.Empty;

    /// <summary>Runs a Slurm command against this cluster; throws with its output when it fails.</summary>
    public string Run(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        if (ConfigPath.Length > 0)
        {
            info.Environment["SLURM_CONF"] = ConfigPath;
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', args)} did not finish");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', args)} exited {process.ExitCode}: {stderr}{stdout.Result}");
        }
        return stdout.Result;
    }

    /// <summary>Submits a script with <paramref name="environment"/> added to this process's (sbatch passes it on to the tasks).</summary>
    public string Submit(string script, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--parsable");
        info.ArgumentList.Add(script);
        info.Environment["SLURM_CONF"] = ConfigPath;
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Trim().Split(';')[0] : throw new InvalidOperationException($"sbatch failed: {output}");
    }

    /// <summary>The array's tasks and their states, e.g. <c>12_0 → RUNNING</c>.</summary>
    public Dictionary<string, string> States(string job)
        => Run("squeue", "-h", "-t", "all", "-j", job, "-o", "%i %T")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => p[1]);

    /// <summary>Waits until every task of the array has ended (none pending, running or being requeued).</summary>
    public async Task WaitForEndAsync(string job, int tasks, TimeSpan timeout)
    {
        string[] ended = ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY"];
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var states = States(job);
            if (states.Count == tasks && states.Values.All(ended.Contains))
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"job {job} did not end: {string.Join(", ", states.Select(s => $"{s.Key} {s.Value}"))}\n{Log()}");
            }
            await Task.Delay(250);
        }
    }

    public string Log()
    {
        var log = Path.Combine(Directory, "log", "slurmctld.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "(no slurmctld log)";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (ConfigPath.Length == 0)
        {
            return;
        }
        try
        {
            Run("scancel", "--quiet", "--user", "root");
            Run("scontrol", "shutdown");
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Already down: nothing to stop.
        }
        if (_mungePidFile is not null && File.Exists(_mungePidFile)
            && int.TryParse(File.ReadAllText(_mungePidFile).Trim(), out var pid))
        {
            try
            {
                using var munged = Process.GetProcessById(pid);
                munged.Kill();
                munged.WaitForExit(5000);
            }
            catch (ArgumentException)
            {
                // Gone already.
            }
        }
        // The daemons take a moment to let go of their files.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(250);
            }
        }
    }
}
