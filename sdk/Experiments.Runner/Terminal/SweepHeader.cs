using Experiments.Runner.Execution.Host;

namespace Experiments.Runner.Terminal;

/// <summary>The line that opens each experiment's part of <c>run</c>.</summary>
internal static class SweepHeader
{
    public static string Format(SweepPlan plan, int workers)
    {
        var name = plan.Experiment.Name;
        if (plan.Candidates.Count == 0)
        {
            return plan.Selected == 0
                ? $"{name}: no trial matches the filter"
                : $"{name}: nothing to run, all {plan.Selected} selected trials passed (--rerun runs them again)";
        }
        var passed = plan.AlreadyPassed > 0 && plan.Candidates.Count < plan.Selected ? $", {plan.AlreadyPassed} already passed" : string.Empty;
        var workerText = workers == 1 ? "1 worker" : $"{workers} workers";
        return $"{name}: {plan.Candidates.Count} of {plan.Selected} trials to run{passed} ({workerText})";
    }
}
