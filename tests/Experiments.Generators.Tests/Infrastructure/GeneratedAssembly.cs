using System.Reflection;
using System.Runtime.Loader;

namespace Experiments.Generators.Tests.Infrastructure;

/// <summary>The output compilation of a generator run, emitted and loaded into a collectible load context.</summary>
internal sealed class GeneratedAssembly
{
    private GeneratedAssembly(Assembly assembly) => Assembly = assembly;

    public Assembly Assembly { get; }

    public static GeneratedAssembly Load(GeneratorResult result)
    {
        result.AssertCompilesCleanly();
        using var stream = new MemoryStream();
        var emitted = result.Output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        stream.Position = 0;
        // Experiments.dll is not in this context: it resolves from the default one, so the types are the test's own.
        var context = new AssemblyLoadContext("generated-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return new GeneratedAssembly(context.LoadFromStream(stream));
    }

    /// <summary>The generated catalog (<c>Experiments.Generated.ExperimentCatalog.All</c>).</summary>
    public IReadOnlyList<ExperimentDefinition> Catalog
    {
        get
        {
            var catalog = Assembly.GetType("Experiments.Generated.ExperimentCatalog", throwOnError: true)!;
            return (IReadOnlyList<ExperimentDefinition>)catalog.GetProperty("All")!.GetValue(null)!;
        }
    }

    /// <summary>The <c>MatrixSize</c> constant of a declaration.</summary>
    public int MatrixSize(string typeName)
        => (int)Assembly.GetType(typeName, throwOnError: true)!.GetField("MatrixSize")!.GetRawConstantValue()!;
}
