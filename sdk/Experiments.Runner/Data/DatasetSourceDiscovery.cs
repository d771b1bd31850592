using System.Reflection;
using Experiments.Data;

namespace Experiments.Runner.Data;

/// <summary>
/// Finds the downloadable data sets an experiment project can use: the <see cref="DatasetSourceAttribute"/>s of the
/// entry assembly and of the assemblies it references (followed through those that reference Experiments, since only
/// they can declare one). The runner names no library: Experiments.Vision is found this way when the project uses it.
/// </summary>
internal static class DatasetSourceDiscovery
{
    public static IReadOnlyList<IDatasetSource> FromEntryAssembly()
        => Assembly.GetEntryAssembly() is { } entry ? FromAssembly(entry) : [];

    public static IReadOnlyList<IDatasetSource> FromAssembly(Assembly root)
    {
        string core = typeof(IDatasetSource).Assembly.GetName().Name!;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { root.GetName().Name! };
        var pending = new Queue<Assembly>([root]);
        var sources = new List<IDatasetSource>();
        while (pending.TryDequeue(out var assembly))
        {
            sources.AddRange(assembly.GetCustomAttributes<DatasetSourceAttribute>().Select(Create));
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (!seen.Add(reference.Name!) || IsFramework(reference.Name!))
                {
                    continue;
                }
                var loaded = TryLoad(reference);
                if (loaded is not null && loaded.GetReferencedAssemblies().Any(r => r.Name == core))
                {
                    pending.Enqueue(loaded);
                }
            }
        }
        return sources.DistinctBy(s => s.Name, StringComparer.OrdinalIgnoreCase).OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();
    }

    private static IDatasetSource Create(DatasetSourceAttribute attribute)
        => Activator.CreateInstance(attribute.SourceType) as IDatasetSource
            ?? throw new InvalidOperationException($"{attribute.SourceType.FullName} is declared as a data set source but does not implement {nameof(IDatasetSource)}.");

    private static Assembly? TryLoad(AssemblyName name)
    {
        try
        {
            return Assembly.Load(name);
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;   // a reference that is not deployed with the app cannot declare anything we could use
        }
    }

    private static bool IsFramework(string name)
        => name is "mscorlib" or "netstandard"
            || name.StartsWith("System", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.", StringComparison.Ordinal);
}
