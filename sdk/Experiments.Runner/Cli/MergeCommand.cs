using System.CommandLine;
using Experiments.Results;
using Experiments.Store.Sqlite;

namespace Experiments.Runner.Cli;

/// <summary>
/// <c>merge a.db b.db … --into all.db</c>: the per-task SQLite stores of a cluster run without a shared database,
/// merged into one that <c>report</c>, <c>list</c> and <c>export</c> read like any other (see <see cref="SqliteStoreMerge"/>).
/// </summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var stores = new Argument<string[]>("stores")
        {
            Description = "The store files to merge (e.g. the shard-*.db files of a Slurm job array).",
            Arity = ArgumentArity.OneOrMore,
        };
        var into = new Option<string>("--into")
        {
            Description = "The store file to merge into; created when missing. Merging the same file again changes nothing.",
            Required = true,
        };
        var command = new Command("merge", "Merge results stores (one per cluster task) into one, keeping every attempt.")
        {
            stores,
            into,
        };
        command.SetAction(result => CommandErrors.Guard(() =>
        {
            var target = Path.GetFullPath(result.GetValue(into)!);
            IReadOnlyList<StoreMergeResult> merged;
            try
            {
                merged = SqliteStoreMerge.Merge(target, result.GetValue(stores) ?? []);
            }
            catch (InvalidOperationException e) when (e is not ResultStoreException)
            {
                // A conflict between the stores (declared differently, a trial run in both), or a file that is not there;
                // a store that cannot be read or written is a store error (exit code 3).
                throw new CliException(e.Message);
            }
            foreach (var file in merged)
            {
                Console.Out.WriteLine(
                    $"{file.Source}: {file.ExperimentsAdded} new experiment(s), {file.TrialsTaken} trial(s) taken, {file.AttemptsAdded} attempt(s) of history added");
            }
            Console.Out.WriteLine($"Merged {merged.Count} store(s) into {target}");
            return 0;
        }));
        return command;
    }
}
