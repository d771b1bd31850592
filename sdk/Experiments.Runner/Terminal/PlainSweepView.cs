using Experiments.Runner.Execution.Host;

namespace Experiments.Runner.Terminal;

/// <summary>Redirected output (CI logs, pipes): whole lines only, nothing that redraws.</summary>
internal sealed class PlainSweepView : ISweepView
{
    private readonly TextWriter _out;
    private readonly object _gate = new();

    public PlainSweepView(TextWriter output) => _out = output;

    public void SweepStarting(SweepPlan plan, int workers) => WriteLine(SweepHeader.Format(plan, workers));

    public void TrialStarted(int slot, Trial trial)
    {
    }

    public void TrialProgress(int slot, double fraction, string? message)
    {
    }

    public void TrialFinished(int slot, Trial trial, WorkerTrialResult result, string objective)
        => WriteLine(TrialLine.Format(trial.Id, result, objective));

    public void SweepFinished(SweepPlan plan)
    {
    }

    public void Note(string text) => WriteLine($"  ! {text}");

    private void WriteLine(string line)
    {
        lock (_gate)
        {
            _out.WriteLine(line);
            _out.Flush();
        }
    }
}
