namespace Experiments;

/// <summary>
/// The values a parameter sweeps over, in order. Constants of the property's type: numbers, <c>bool</c>,
/// <c>char</c>, strings and enum members. Checked at build time (EXP003–EXP006).
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ValuesAttribute : Attribute
{
    public ValuesAttribute(params object[] values) => Values = values;

    public object[] Values { get; }

    /// <summary>Short name used in trial ids and reports (e.g. <c>lr</c>); defaults to the property name in kebab case.</summary>
    public string? Key { get; set; }
}
