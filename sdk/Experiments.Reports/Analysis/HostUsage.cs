using Experiments.Results;

namespace Experiments.Reports.Analysis;

/// <summary>One machine that ran finished trials, and how many.</summary>
public sealed record HostShare(string Host, int Trials);

/// <summary>
/// Which machines produced the results: the host part of each finished (passed or failed) trial's worker. A sweep
/// spread over a cluster names every node; one run on one machine names that machine.
/// </summary>
internal static class HostUsage
{
    public static IReadOnlyList<HostShare> Of(IEnumerable<TrialRecord> trials)
        => trials
            .Where(t => t.Status is TrialStatus.Passed or TrialStatus.Failed)
            .Select(t => WorkerIdentity.Parse(t.Worker)?.Host)
            .OfType<string>()
            .GroupBy(h => h, StringComparer.OrdinalIgnoreCase)
            .Select(g => new HostShare(g.Key, g.Count()))
            .OrderByDescending(h => h.Trials)
            .ThenBy(h => h.Host, StringComparer.Ordinal)
            .ToArray();
}
