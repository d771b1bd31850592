using Experiments.Runner.Execution.Host;

namespace Experiments.Runner.Terminal;

/// <summary>What <c>run</c> shows while it works: a live display on a terminal, plain lines when redirected.</summary>
internal interface ISweepView
{
    void SweepStarting(SweepPlan plan, int workers);

    void TrialStarted(int slot, Trial trial);

    void TrialProgress(int slot, double fraction, string? message);

    void TrialFinished(int slot, Trial trial, WorkerTrialResult result, string objective);

    void SweepFinished(SweepPlan plan);

    /// <summary>Something the user should know that is not a trial result (a worker replaced, a store hiccup).</summary>
    void Note(string text);
}
