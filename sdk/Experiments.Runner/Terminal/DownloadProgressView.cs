using Experiments.Data;
using Spectre.Console;

namespace Experiments.Runner.Terminal;

/// <summary>
/// Shows a download: a Spectre.Console progress bar per file at a terminal; otherwise one line when each file
/// starts and one when it has arrived, so a log stays short.
/// </summary>
internal static class DownloadProgressView
{
    public static Task<T> RunAsync<T>(Func<IProgress<DownloadProgress>, Task<T>> body)
        => ConsoleMode.IsInteractive
            ? AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .StartAsync(context => body(new LiveProgress(context)))
            : body(new PlainProgress());

    /// <summary>Called on the downloading thread (not through a synchronization context), so it updates under a lock.</summary>
    private sealed class LiveProgress(ProgressContext context) : IProgress<DownloadProgress>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

        public void Report(DownloadProgress value)
        {
            lock (_tasks)
            {
                if (!_tasks.TryGetValue(value.File, out var task))
                {
                    task = context.AddTask(Markup.Escape(value.File), maxValue: value.Total ?? 1);
                    task.IsIndeterminate = value.Total is null;
                    _tasks[value.File] = task;
                }
                task.Value = value.Total is null ? 0 : value.Bytes;
            }
        }
    }

    private sealed class PlainProgress : IProgress<DownloadProgress>
    {
        private readonly HashSet<string> _started = new(StringComparer.Ordinal);
        private readonly HashSet<string> _finished = new(StringComparer.Ordinal);

        public void Report(DownloadProgress value)
        {
            lock (_started)
            {
                if (_started.Add(value.File))
                {
                    Console.Out.WriteLine(value.Total is { } total ? $"  {value.File}: {total:N0} bytes …" : $"  {value.File} …");
                }
                if (value.Total is { } size && value.Bytes >= size && _finished.Add(value.File))
                {
                    Console.Out.WriteLine($"  {value.File}: received");
                }
            }
        }
    }
}
