namespace Experiments.Data;

/// <summary>
/// Declares a downloadable data set of this assembly: <c>[assembly: DatasetSource(typeof(FashionMnistSource))]</c>.
/// The type implements <see cref="IDatasetSource"/> and has a public parameterless constructor.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class DatasetSourceAttribute : Attribute
{
    public DatasetSourceAttribute(Type sourceType)
    {
        SourceType = sourceType;
    }

    /// <summary>The <see cref="IDatasetSource"/> implementation.</summary>
    public Type SourceType { get; }
}
