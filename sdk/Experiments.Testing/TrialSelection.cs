// The tree node filter is marked experimental in Microsoft.Testing.Platform 2.5 (TPEXP); it is the platform's --treenode-filter.
#pragma warning disable TPEXP

using Microsoft.Testing.Platform.Requests;

namespace Experiments.Testing;

/// <summary>
/// The platform's own selections on top of <c>--filter</c>: <c>--treenode-filter</c> (paths and parameter properties,
/// see <see cref="TrialNodes.TreePath"/>) and the list of nodes an IDE asks for (a trial, or a configuration or
/// experiment node with every trial under it).
/// </summary>
internal static class TrialSelection
{
    public static Func<Trial, bool>? IncludeOf(ITestExecutionFilter? filter)
    {
        switch (filter)
        {
            case TreeNodeFilter tree:
                return trial => tree.MatchesFilter(
                    TrialNodes.TreePath(trial.Experiment, trial.Id),
                    TrialNodes.ParameterProperties(TrialNodes.ParametersOf(trial)));
            case TestNodeUidListFilter list:
                var uids = list.TestNodeUids.Select(u => u.Value).ToHashSet(StringComparer.Ordinal);
                return trial => uids.Contains(TrialNodes.TrialUid(trial.Experiment, trial.Id))
                    || uids.Contains(TrialNodes.ConfigurationUid(trial.Experiment, trial.ConfigurationId))
                    || uids.Contains(TrialNodes.ExperimentUid(trial.Experiment));
            default:
                return null;
        }
    }
}
