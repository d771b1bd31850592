namespace Experiments;

/// <summary>
/// The experiments of the loaded assemblies. Generated code registers each assembly's experiments from a module
/// initializer, so nothing is found by reflection scanning.
/// </summary>
public static class ExperimentRegistry
{
    private static readonly List<ExperimentDefinition> Registered = new();

    public static IReadOnlyList<ExperimentDefinition> All
    {
        get
        {
            lock (Registered)
            {
                return Registered.ToArray();
            }
        }
    }

    /// <summary>Called by generated code; registering the same definition twice is a no-op.</summary>
    public static void Register(ExperimentDefinition experiment)
    {
        lock (Registered)
        {
            if (!Registered.Contains(experiment))
            {
                Registered.Add(experiment);
            }
        }
    }

    public static ExperimentDefinition? Find(string name)
        => All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
}
