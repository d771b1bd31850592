namespace Experiments;

/// <summary>
/// Marks a static class whose <c>const string</c> fields with <see cref="KnownValueAttribute"/> form a known set
/// (model names, dataset names). A library ships it; a declaration points at it with <see cref="KnownInAttribute"/>
/// and the analyzer checks every declared value against it at build time (EXP006, with a "did you mean").
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class KnownValuesAttribute : Attribute
{
}

/// <summary>
/// One member of a known set, with metadata as <c>key=value</c> pairs (e.g. <c>"family=vit"</c>,
/// <c>"input_size=32"</c>). Metadata that names a constraint a declaration opts into with
/// <see cref="ConstrainedByAttribute"/> is enforced by the generator.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class KnownValueAttribute : Attribute
{
    public KnownValueAttribute(params string[] metadata) => Metadata = metadata;

    public string[] Metadata { get; }
}

/// <summary>The values of this string parameter must come from the known set declared by <see cref="Set"/>.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class KnownInAttribute : Attribute
{
    public KnownInAttribute(Type set) => Set = set;

    public Type Set { get; }
}

/// <summary>
/// This parameter must equal the metadata value <see cref="MetadataKey"/> of any other parameter's known value
/// that declares it (e.g. a <c>Size</c> parameter constrained by <c>"input_size"</c>: a ViT with
/// <c>input_size=32</c> only runs at size 32). Other combinations are removed; a known value no declared size
/// satisfies is a build error (EXP008).
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ConstrainedByAttribute : Attribute
{
    public ConstrainedByAttribute(string metadataKey) => MetadataKey = metadataKey;

    public string MetadataKey { get; }
}

/// <summary>
/// Marks a string parameter of a reporting method as a metric name, or a method as reporting the given metrics,
/// so the analyzer can check an experiment's <see cref="ExperimentAttribute.Objective"/> (EXP011).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Method, Inherited = false)]
public sealed class MetricNameAttribute : Attribute
{
    public MetricNameAttribute(params string[] reports) => Reports = reports;

    /// <summary>For methods: the metrics the method reports.</summary>
    public string[] Reports { get; }
}
