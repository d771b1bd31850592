using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Experiments.Generators.Parsing;

/// <summary>
/// Reads a known set from metadata: the <c>const string</c> fields of a [KnownValues] class that carry
/// [KnownValue("key=value", …)]. Works the same for sets in referenced assemblies and in source.
/// </summary>
internal static class KnownSetReader
{
    /// <summary>Value → metadata as <c>key=value</c> lines.</summary>
    public static Dictionary<string, string> Read(INamedTypeSymbol set)
    {
        var values = new Dictionary<string, string>();
        foreach (var field in set.GetMembers().OfType<IFieldSymbol>())
        {
            if (!field.IsConst || field.ConstantValue is not string value)
            {
                continue;
            }
            var attribute = field.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.KnownValue);
            if (attribute is null)
            {
                continue;
            }
            var metadata = attribute.ConstructorArguments.FirstOrDefault();
            var entries = metadata.Kind == TypedConstantKind.Array && !metadata.IsNull
                ? metadata.Values.Select(v => v.Value as string).Where(v => v is not null && v!.IndexOf('=') > 0)
                : Enumerable.Empty<string?>();
            values[value] = string.Join("\n", entries);
        }
        return values;
    }

    /// <summary>The value of <paramref name="key"/> in metadata lines, or null.</summary>
    public static string? Lookup(string metadata, string key)
    {
        foreach (var line in metadata.Split('\n'))
        {
            var separator = line.IndexOf('=');
            if (separator > 0 && line.Substring(0, separator).Trim() == key)
            {
                return line.Substring(separator + 1).Trim();
            }
        }
        return null;
    }
}
