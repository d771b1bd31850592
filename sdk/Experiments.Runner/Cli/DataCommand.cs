using System.CommandLine;
using Experiments.Data;
using Experiments.Runner.Execution.Host;
using Experiments.Runner.Terminal;

namespace Experiments.Runner.Cli;

/// <summary>
/// <c>data list</c> and <c>data fetch NAME [--to FOLDER] [--from URL]</c>: the downloadable data sets the project's
/// libraries declare (<see cref="DatasetSourceAttribute"/>), where each is found, and a verified download of one.
/// </summary>
internal static class DataCommand
{
    /// <param name="sources">The data sets; called only when a <c>data</c> command runs, so other commands load no extra assembly.</param>
    public static Command Create(Func<IReadOnlyList<IDatasetSource>> sources)
    {
        var data = new Command("data", "Find and download the data sets this project's libraries know (such as fashion-mnist).");
        data.Subcommands.Add(CreateList(sources));
        data.Subcommands.Add(CreateFetch(sources));
        return data;
    }

    private static Command CreateList(Func<IReadOnlyList<IDatasetSource>> sources)
    {
        var command = new Command("list", "List every downloadable data set and where it was found.");
        command.SetAction(_ => CommandErrors.Guard(() => List(sources())));
        return command;
    }

    private static Command CreateFetch(Func<IReadOnlyList<IDatasetSource>> sources)
    {
        var name = new Argument<string>("name") { Description = "The data set (see `data list`)." };
        var to = new Option<string?>("--to")
        {
            Description = "The folder to download into (default: where the data set is looked for first, under $EXPERIMENTS_DATA or the user data folder).",
        };
        var from = new Option<string?>("--from")
        {
            Description = "A mirror's base URL to download from instead of the data set's own; the files are verified the same way.",
        };
        var command = new Command("fetch", "Download a data set, verify every file (SHA-256) and put it where experiments find it.")
        {
            name,
            to,
            from,
        };
        command.SetAction((result, _) => CommandErrors.GuardAsync(() =>
            FetchAsync(sources(), result.GetValue(name)!, result.GetValue(to), result.GetValue(from))));
        return command;
    }

    private static int List(IReadOnlyList<IDatasetSource> sources)
    {
        if (sources.Count == 0)
        {
            Console.Out.WriteLine("No downloadable data sets: none of this project's libraries declares one (Experiments.Vision declares fashion-mnist).");
            return 0;
        }
        foreach (var source in sources)
        {
            var lookup = source.Locate();
            Console.Out.WriteLine($"{source.Name}: {source.Description}");
            Console.Out.WriteLine(lookup.Folder is { } folder
                ? $"  found in {folder}"
                : $"  not found (looked in {string.Join(", ", lookup.Searched)}); `data fetch {source.Name}` downloads it to {source.DefaultDestination}");
        }
        return 0;
    }

    private static async Task<int> FetchAsync(IReadOnlyList<IDatasetSource> sources, string name, string? to, string? from)
    {
        var source = sources.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new CliException(sources.Count == 0
                ? $"unknown data set '{name}': this project's libraries declare no downloadable data set."
                : $"unknown data set '{name}'; known: {string.Join(", ", sources.Select(s => s.Name))}.");
        var url = from is null ? source.DownloadUrl : ParseUrl(from);
        var folder = Path.GetFullPath(to is { Length: > 0 } ? to : source.DefaultDestination);

        Console.Out.WriteLine($"Fetching {source.Name} from {url} into {folder}");
        using var signal = ShutdownSignal.Listen(TimeSpan.Zero);
        using var downloader = new FileDownloader();
        DownloadSummary summary;
        try
        {
            summary = await DownloadProgressView.RunAsync(progress =>
                downloader.DownloadAsync(url, source.Files, folder, progress, signal.Stopping)).ConfigureAwait(false);
        }
        catch (DownloadException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            if (from is null)
            {
                Console.Error.WriteLine("Without network access here, fetch on another machine and copy the folder, or use --from with a reachable mirror.");
            }
            return 1;
        }
        catch (OperationCanceledException) when (signal.IsStopping)
        {
            Console.Error.WriteLine($"Interrupted; nothing was changed in {folder}.");
            return signal.ExitCode;
        }

        Console.Out.WriteLine(summary.Downloaded.Count == 0
            ? $"{source.Name} is already complete in {summary.Folder} (every file verified)."
            : $"Downloaded {string.Join(", ", summary.Downloaded)} into {summary.Folder} (every file verified"
              + (summary.AlreadyPresent.Count > 0 ? $"; {summary.AlreadyPresent.Count} already there)." : ")."));
        Console.Out.WriteLine(ResolvesNote(source, summary.Folder));
        return 0;
    }

    /// <summary>Whether the experiments will now read the data set from where it was put, and what to do if not.</summary>
    private static string ResolvesNote(IDatasetSource source, string folder)
    {
        var found = source.Locate().Folder;
        if (found is not null && SameFolder(found, folder))
        {
            return $"{source.Name} now resolves: experiments read it from {folder}.";
        }
        return found is null
            ? $"note: experiments do not look in {folder}; pass that folder to the data set, or fetch without --to."
            : $"note: experiments read {source.Name} from {found}, which comes first; pass {folder} to the data set to use this copy.";
    }

    private static bool SameFolder(string a, string b)
        => string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);

    private static Uri ParseUrl(string text)
        => Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new CliException($"--from '{text}' is not an http:// or https:// URL.");
}
