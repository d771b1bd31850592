using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Experiments.Sdk.Tests.Infrastructure;

/// <summary>Reads a built assembly's entry point and manifest resources without loading it.</summary>
internal static class BuiltAssembly
{
    /// <summary>"Namespace.Type.Method" of the entry point, or null when the assembly has none.</summary>
    public static string? EntryPoint(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var token = pe.PEHeaders.CorHeader!.EntryPointTokenOrRelativeVirtualAddress;
        if (token == 0)
        {
            return null;
        }
        var metadata = pe.GetMetadataReader();
        var method = metadata.GetMethodDefinition((MethodDefinitionHandle)MetadataTokens.EntityHandle(token));
        var type = metadata.GetTypeDefinition(method.GetDeclaringType());
        return $"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}.{metadata.GetString(method.Name)}";
    }

    /// <summary>The embedded manifest resources, by name.</summary>
    public static IReadOnlyDictionary<string, byte[]> Resources(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
        var resources = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil)
            {
                continue; // linked from another file, not embedded
            }
            var data = pe.GetSectionData(directory.RelativeVirtualAddress + (int)resource.Offset).GetReader();
            var length = data.ReadInt32();
            resources[metadata.GetString(resource.Name)] = data.ReadBytes(length);
        }
        return resources;
    }
}
