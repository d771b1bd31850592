using System.Globalization;
using Experiments.Results;

namespace Experiments;

/// <summary>
/// The rule of asynchronous successive halving, as a pure function of the store's records, so that any process — on
/// any machine sharing the store — computes the same decision from the same state, inside the store transaction that
/// records it (<see cref="IResultStore.Promote"/>). A configuration (the parameter values other than the budget) is
/// finished at a rung when all its trials registered at that rung (one per repeat) have passed or failed; its score is
/// the mean objective over its repeats (a failed repeat, or a missing or non-finite objective, makes it the worst). Of
/// the n configurations finished at a rung, the best ⌊n/η⌋ move up — each exactly once, whenever that happens.
/// </summary>
public static class SuccessiveHalving
{
    /// <summary>One configuration at one rung.</summary>
    /// <param name="Configuration">Its parameter values other than the budget (<see cref="ConfigurationOf"/>).</param>
    /// <param name="Rung">The rung, from 0.</param>
    /// <param name="Finished">All its trials at this rung passed or failed.</param>
    /// <param name="Score">Mean objective over its repeats; null while not finished or when any repeat failed.</param>
    /// <param name="Repeats">The repeats registered at this rung.</param>
    /// <param name="FirstIndex">Its first trial's matrix index: breaks ties in matrix order.</param>
    public sealed record RungEntry(string Configuration, int Rung, bool Finished, double? Score, IReadOnlyList<int> Repeats, int FirstIndex);

    /// <summary>A configuration to register one rung up, for each of <see cref="Repeats"/>.</summary>
    public sealed record Promotion(string Configuration, int FromRung, int ToRung, double Score, IReadOnlyList<int> Repeats);

    /// <summary>The configuration key of a record: its parameters other than the budget, <c>name=value</c> joined by <c>/</c>.</summary>
    public static string ConfigurationOf(IReadOnlyList<KeyValuePair<string, string>> parameters, string budgetParameter)
        => string.Join('/', parameters.Where(p => !string.Equals(p.Key, budgetParameter, StringComparison.Ordinal))
            .Select(p => p.Key + "=" + p.Value));

    /// <summary>The rung of a budget value as displayed in ids and records; -1 when it is not one of the rungs.</summary>
    public static int RungOf(SearchSettings search, string? budgetDisplay)
    {
        if (budgetDisplay is null || !int.TryParse(budgetDisplay, NumberStyles.Integer, CultureInfo.InvariantCulture, out var budget))
        {
            return -1;
        }
        for (var rung = 0; rung < search.Rungs.Count; rung++)
        {
            if (search.Rungs[rung] == budget)
            {
                return rung;
            }
        }
        return -1;
    }

    /// <summary>Every configuration at every rung it has trials at, rung by rung, in matrix order.</summary>
    public static IReadOnlyList<RungEntry> Entries(SearchSettings search, string objective, IReadOnlyList<TrialRecord> records)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(records);
        if (!search.IsAdaptive || search.BudgetParameter is not { } budget)
        {
            return [];
        }
        return records
            .Select(r => (Record: r, Rung: RungOf(search, r.Parameter(budget)), Configuration: ConfigurationOf(r.Parameters, budget)))
            .Where(x => x.Rung >= 0)
            .GroupBy(x => (x.Configuration, x.Rung))
            .Select(g =>
            {
                var trials = g.Select(x => x.Record).ToArray();
                var finished = trials.All(t => t.Status is TrialStatus.Passed or TrialStatus.Failed);
                double? score = null;
                if (finished && trials.All(t => t.Status == TrialStatus.Passed))
                {
                    var values = trials.Select(t => t.Metrics.TryGetValue(objective, out var v) ? v : double.NaN).ToArray();
                    if (values.All(double.IsFinite))
                    {
                        score = values.Average();
                    }
                }
                return new RungEntry(g.Key.Configuration, g.Key.Rung, finished, score,
                    trials.Select(t => t.Repeat).Order().ToArray(), trials.Min(t => t.Index));
            })
            .OrderBy(e => e.Rung).ThenBy(e => e.FirstIndex)
            .ToArray();
    }

    /// <summary>
    /// The promotions the records call for now: at each rung below the top, the best ⌊n/η⌋ of its n finished
    /// configurations that have no trials one rung up yet (configurations without a score never move up).
    /// </summary>
    public static IReadOnlyList<Promotion> Promotions(SearchSettings search, string objective, Goal goal, IReadOnlyList<TrialRecord> records)
    {
        var entries = Entries(search, objective, records);
        var promotions = new List<Promotion>();
        var present = entries.Select(e => (e.Configuration, e.Rung)).ToHashSet();
        for (var rung = 0; rung < search.Rungs.Count - 1; rung++)
        {
            var finished = entries.Where(e => e.Rung == rung && e.Finished).ToArray();
            var best = finished.Length / search.ReductionFactor;
            foreach (var entry in Ranked(finished, goal).Take(best))
            {
                if (entry.Score is { } score && !present.Contains((entry.Configuration, rung + 1)))
                {
                    promotions.Add(new Promotion(entry.Configuration, rung, rung + 1, score, entry.Repeats));
                }
            }
        }
        return promotions;
    }

    /// <summary>Best first: by score in the goal's direction (no score last), then in matrix order.</summary>
    public static IEnumerable<RungEntry> Ranked(IEnumerable<RungEntry> entries, Goal goal)
        => entries
            .OrderBy(e => e.Score is null ? 1 : 0)
            .ThenBy(e => e.Score is { } s ? (goal == Goal.Minimize ? s : -s) : 0)
            .ThenBy(e => e.FirstIndex);
}
