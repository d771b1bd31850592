using System.Diagnostics;
using Experiments.Results;

namespace Experiments.Runner.Execution.Host;

/// <summary>
/// Who claims trials: this host process (it holds the claims and writes the heartbeats), one identity per worker
/// slot so the store shows which slot ran what. A claim outlives its worker process but not its host.
/// </summary>
internal sealed class HostIdentity
{
    private readonly string _session = Guid.NewGuid().ToString("N")[..8];

    public WorkerIdentity ForSlot(int slot) => new(Environment.MachineName, Environment.ProcessId, $"{_session}-{slot}");

    /// <summary>
    /// Whether the claimer of a running trial may still be working on it. Other machines: assumed alive (their
    /// heartbeat going stale frees the trial). This machine: alive while its process exists; a claim carrying our own
    /// process id but another session is a previous process that had the same id.
    /// </summary>
    public bool IsAlive(WorkerIdentity worker)
    {
        if (!string.Equals(worker.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (worker.ProcessId == Environment.ProcessId)
        {
            return worker.Session.StartsWith(_session, StringComparison.Ordinal);
        }
        try
        {
            using var process = Process.GetProcessById(worker.ProcessId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
