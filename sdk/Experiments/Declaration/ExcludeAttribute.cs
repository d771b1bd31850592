namespace Experiments;

/// <summary>
/// Removes every combination in which <see cref="Parameter"/> matches <see cref="Value"/> and
/// <see cref="OtherParameter"/> matches <see cref="OtherValue"/>. String values may use <c>*</c>
/// wildcards (<c>"vit_*"</c>). Name parameters with <c>nameof</c>.
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
