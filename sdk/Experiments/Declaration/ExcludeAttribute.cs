namespace Experiments;

/// <summary>
/// Removes every combination in which <see cref="Parameter"/> matches <see cref="Value"/> and
/// <see cref="OtherParameter"/> matches <see cref="OtherValue"/>. Values of string parameters are patterns of the one
/// <see cref="Wildcard"/> rule that <c>run --filter</c> uses too: <c>*</c> matches any run of characters (including
/// none) and letters match regardless of case, so <c>"vit_*"</c> removes <c>vit_tiny</c> and <c>ViT_Base</c> alike.
/// Other values match exactly. Name parameters with <c>nameof</c>.
/// </summary>
/// <example><c>[Exclude(nameof(Arch), "vit_*", nameof(Resize), ResizeMethod.Pad)]</c></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ExcludeAttribute : Attribute
{
    public ExcludeAttribute(string parameter, object value, string otherParameter, object otherValue)
        => (Parameter, Value, OtherParameter, OtherValue) = (parameter, value, otherParameter, otherValue);

    public string Parameter { get; }
    public object Value { get; }
    public string OtherParameter { get; }
    public object OtherValue { get; }

    /// <summary>Why, shown in the report.</summary>
    public string? Reason { get; set; }
}
