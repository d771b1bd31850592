using Experiments.Results;

namespace Experiments.Runner.Cli;

/// <summary>Runs an action for each selected experiment that has results in the store (for <c>report</c> and <c>export</c>).</summary>
internal static class StoredResults
{
    public static int ForEach(ProjectSettings settings, IReadOnlyList<ExperimentDefinition> experiments, Action<IResultStore, ExperimentInfo> action)
    {
        var location = StoreAccess.Locate(settings);
        using var store = StoreAccess.OpenExisting(location)
            ?? throw new CliException($"No results store at {location}: run the experiments first (or pass --store).");
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
                throw new CliException($"The store at {location} has no results for {experiment.Name} yet.");
            }
        }
        if (done == 0)
        {
            throw new CliException($"The store at {location} has no results for these experiments yet.");
        }
        return 0;
    }
}
