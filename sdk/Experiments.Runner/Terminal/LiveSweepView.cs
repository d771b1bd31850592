using Experiments.Results;
using Experiments.Runner.Execution.Host;
using Spectre.Console;

namespace Experiments.Runner.Terminal;

/// <summary>
/// An interactive terminal: finished trials scroll up as lines while a live block at the bottom shows the sweep's
/// progress and what each worker is doing. Spectre's live rendering keeps the two from overwriting each other.
/// </summary>
internal sealed class LiveSweepView : ISweepView
{
    private readonly IAnsiConsole _console;
    private readonly ProgressContext _context;
    private readonly Dictionary<int, ProgressTask> _slots = new();
    private readonly Dictionary<int, string> _slotTrials = new();
    private readonly object _gate = new();
    private ProgressTask? _overall;

    private LiveSweepView(IAnsiConsole console, ProgressContext context)
    {
        _console = console;
        _context = context;
    }

    public static Task<T> RunAsync<T>(IAnsiConsole console, Func<ISweepView, Task<T>> body)
        => console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(context => body(new LiveSweepView(console, context)));

    public void SweepStarting(SweepPlan plan, int workers)
    {
        lock (_gate)
        {
            _console.MarkupLine($"[bold]{Markup.Escape(SweepHeader.Format(plan, workers))}[/]");
            _overall = plan.Candidates.Count == 0
                ? null
                : _context.AddTask($"[bold]{Markup.Escape(plan.Experiment.Name)}[/]", maxValue: plan.Candidates.Count);
        }
    }

    public void TrialStarted(int slot, Trial trial)
    {
        lock (_gate)
        {
            _slotTrials[slot] = trial.Id;
            var description = Describe(slot, trial.Id, null);
            if (_slots.TryGetValue(slot, out var task))
            {
                task.Description = description;
                task.Value = 0;
            }
            else
            {
                _slots[slot] = _context.AddTask(description, maxValue: 1);
            }
            _slots[slot].IsIndeterminate = true;
        }
    }

    public void TrialProgress(int slot, double fraction, string? message)
    {
        lock (_gate)
        {
            if (_slots.TryGetValue(slot, out var task))
            {
                task.IsIndeterminate = false;
                task.Value = Math.Clamp(fraction, 0, 1);
                if (message is not null && _slotTrials.TryGetValue(slot, out var trialId))
                {
                    task.Description = Describe(slot, trialId, message);
                }
            }
        }
    }

    public void TrialFinished(int slot, Trial trial, WorkerTrialResult result, string objective)
    {
        lock (_gate)
        {
            var colour = result.Status switch
            {
                TrialStatus.Passed => "green",
                TrialStatus.Interrupted or TrialStatus.Pending => "yellow",
                _ => "red",
            };
            _console.MarkupLine(
                $"  [{colour}]{TrialLine.Mark(result.Status)}[/] {Markup.Escape(trial.Id)}  [grey]{Markup.Escape(TrialLine.Details(result, objective))}[/]");
            _overall?.Increment(1);
            if (_slots.TryGetValue(slot, out var task))
            {
                task.IsIndeterminate = false;
                task.Value = 0;
                task.Description = $"[grey]w{slot + 1} idle[/]";
            }
        }
    }

    public void SweepFinished(SweepPlan plan)
    {
        lock (_gate)
        {
            _overall?.StopTask();
            _overall = null;
        }
    }

    public void Note(string text)
    {
        lock (_gate)
        {
            _console.MarkupLine($"  [yellow]![/] {Markup.Escape(text)}");
        }
    }

    private static string Describe(int slot, string trialId, string? message)
        => message is null
            ? $"[grey]w{slot + 1}[/] {Markup.Escape(trialId)}"
            : $"[grey]w{slot + 1}[/] {Markup.Escape(trialId)}  [grey]{Markup.Escape(message)}[/]";
}
