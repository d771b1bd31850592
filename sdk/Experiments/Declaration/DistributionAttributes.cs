namespace Experiments;

/// <summary>
/// A numeric parameter drawn uniformly from [<see cref="Min"/>, <see cref="Max"/>]. The generator draws
/// <see cref="Samples"/> values at build time from <see cref="Seed"/>, so the matrix is still known at compile time.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class UniformAttribute : Attribute
{
    public UniformAttribute(double min, double max) => (Min, Max) = (min, max);

    public double Min { get; }
    public double Max { get; }
    public int Samples { get; set; } = 4;
    public int Seed { get; set; } = 1;

    /// <summary>Significant digits kept, so ids stay readable.</summary>
    public int Digits { get; set; } = 3;

    /// <inheritdoc cref="ValuesAttribute.Key"/>
    public string? Key { get; set; }
}

/// <summary>Like <see cref="UniformAttribute"/> but uniform in log space (learning rates, weight decay).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class LogUniformAttribute : Attribute
{
    public LogUniformAttribute(double min, double max) => (Min, Max) = (min, max);

    public double Min { get; }
    public double Max { get; }
    public int Samples { get; set; } = 4;
    public int Seed { get; set; } = 1;
    public int Digits { get; set; } = 3;
    public string? Key { get; set; }
}
