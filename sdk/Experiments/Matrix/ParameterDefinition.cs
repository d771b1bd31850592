namespace Experiments;

/// <summary>
/// A swept parameter as the generator saw it: property name, short key, C# type and the invariant display text of
/// each value. <see cref="BareInId"/> parameters (strings, enums) appear in trial ids as the value alone,
/// others as <c>key=value</c>. <see cref="ValueMetadata"/> holds known-set metadata per value (e.g. <c>family</c>).
/// </summary>
public sealed record ParameterDefinition(
    string Name,
    string Key,
    string TypeName,
    bool BareInId,
    IReadOnlyList<string> Values,
    IReadOnlyList<IReadOnlyDictionary<string, string>>? ValueMetadata = null)
{
    /// <summary>Metadata of one value (empty when the parameter has no known set).</summary>
    public IReadOnlyDictionary<string, string> MetadataOf(string value)
    {
        var index = Values.IndexOf(value);
        return index >= 0 && ValueMetadata is { } metadata ? metadata[index] : EmptyMetadata;
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyMetadata = new Dictionary<string, string>();
}

internal static class ListExtensions
{
    public static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }
}
