using Experiments.Results;

namespace Experiments.Runner.Execution.Host;

/// <summary>
/// Successive halving for one experiment of one run: what this run may register and claim (its filter, shard and test
/// selection), the promotions it records through the store (<see cref="IResultStore.Promote"/>, so that every process
/// sharing the store decides from the same state, one at a time), and the trials claimable now, highest rung first.
/// All its state is in the store: a run that dies loses no decision, and the next one — on any machine — goes on from
/// the records.
/// </summary>
internal sealed class AdaptiveSearch
{
    private readonly IResultStore _store;
    private readonly ExperimentDefinition _experiment;
    private readonly Dictionary<string, Trial> _selectable;

    /// <param name="store">The store every host of the search shares.</param>
    /// <param name="experiment">An experiment whose <see cref="ExperimentDefinition.Search"/> is successive halving.</param>
    /// <param name="selectable">The matrix cells this run may run (every rung): its filter, shard and test selection.</param>
    public AdaptiveSearch(IResultStore store, ExperimentDefinition experiment, IEnumerable<Trial> selectable)
    {
        if (!experiment.Search.IsAdaptive)
        {
            throw new ArgumentException($"{experiment.Name} is not an adaptive search.", nameof(experiment));
        }
        _store = store;
        _experiment = experiment;
        _selectable = selectable.ToDictionary(t => t.Id, StringComparer.Ordinal);
    }

    public SearchSettings Search => _experiment.Search;

    /// <summary>The trials a run registers before it starts: the first rung of what it may run.</summary>
    public static IEnumerable<Trial> FirstRung(ExperimentDefinition experiment, IEnumerable<Trial> trials)
        => trials.Where(t => experiment.RungOf(t) == 0);

    /// <summary>
    /// Records the promotions the store's results call for now (within this run's selection); returns the trial ids
    /// registered. Safe to call any time, from any process: a promotion already made is not made again.
    /// </summary>
    public IReadOnlyList<string> Promote()
        => _store.Promote(_experiment.Name, records =>
        {
            var byId = records.ToDictionary(r => r.TrialId, StringComparer.Ordinal);
            var planned = new List<PlannedTrial>();
            foreach (var promotion in SuccessiveHalving.Promotions(Search, _experiment.Objective, _experiment.Goal, records))
            {
                // The configuration's trials one rung up, one per repeat it had below.
                foreach (var record in records.Where(r => IsAt(r, promotion.Configuration, promotion.FromRung)))
                {
                    if (_selectable.TryGetValue(record.TrialId, out var trial)
                        && _experiment.AtRung(trial, promotion.ToRung) is { } next
                        && _selectable.ContainsKey(next.Id)
                        && !byId.ContainsKey(next.Id))
                    {
                        planned.Add(PlannedTrial.From(next));
                    }
                }
            }
            return planned;
        });

    /// <summary>
    /// The registered trials of this run's selection that may be claimable, highest rung first (promotions before new
    /// configurations, as ASHA does), then in matrix order; and whether any trial of the experiment is running anywhere,
    /// whose result may promote more.
    /// </summary>
    public (IReadOnlyList<Trial> Candidates, bool Running) Candidates(DateTimeOffset sweepStart, bool rerun)
    {
        var records = _store.GetTrials(_experiment.Name);
        var candidates = records
            .Where(r => IsClaimable(r, sweepStart, rerun) && _selectable.ContainsKey(r.TrialId))
            .Select(r => _selectable[r.TrialId])
            .OrderByDescending(_experiment.RungOf)
            .ThenBy(t => t.Index)
            .ToArray();
        return (candidates, records.Any(r => r.Status == TrialStatus.Running));
    }

    // What TryClaim may take: never run or interrupted; failed or (on --rerun) passed before this sweep; running (the
    // store takes it only when its lease ran out).
    private static bool IsClaimable(TrialRecord record, DateTimeOffset sweepStart, bool rerun) => record.Status switch
    {
        TrialStatus.Pending or TrialStatus.Interrupted or TrialStatus.Running => true,
        TrialStatus.Failed => record.FinishedAt < sweepStart,
        TrialStatus.Passed => rerun && record.FinishedAt < sweepStart,
        _ => false,
    };

    private bool IsAt(TrialRecord record, string configuration, int rung)
        => SuccessiveHalving.RungOf(Search, record.Parameter(Search.BudgetParameter!)) == rung
           && SuccessiveHalving.ConfigurationOf(record.Parameters, Search.BudgetParameter!) == configuration;
}
