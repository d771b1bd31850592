using Experiments.Results;

namespace Experiments.Runner.Cli;

/// <summary>Runs an action for each selected experiment that has results in the store (for <c>report</c> and <c>export</c>).</summary>
internal static class StoredResults
{
    public static int ForEach(ProjectSettings settings, IReadOnlyList<ExperimentDefinition> experiments, Action<IResultStore, ExperimentInfo> action)
    {
        using var store = StoreAccess.OpenExisting(settings.StorePath)
            ?? throw new CliException($"No results store at {settings.StorePath}: run the experiments first (or pass --store).");
        var done = 0;
        foreach (var experiment in experiments)
        {
            if (store.GetExperiment(experiment.Name) is { } info)
            {
                action(store, info);
                done++;
            }
            else if (experiments.Count == 1)
            {
                throw new CliException($"The store at {settings.StorePath} has no results for {experiment.Name} yet.");
            }
        }
        if (done == 0)
        {
            throw new CliException($"The store at {settings.StorePath} has no results for these experiments yet.");
        }
        return 0;
    }
}
