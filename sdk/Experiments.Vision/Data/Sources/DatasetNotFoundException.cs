namespace Experiments.Vision.Data;

/// <summary>
/// A data set is in none of the places it is looked for. A <see cref="MissingPrerequisiteException"/>: the runner
/// leaves the trial pending and stops the sweep, printing this message, which lists every place looked at and says
/// how to get the data.
/// </summary>
public sealed class DatasetNotFoundException : MissingPrerequisiteException
{
    /// <param name="dataset">The data set's name as people know it, e.g. "Fashion-MNIST".</param>
    /// <param name="searched">Every folder looked at, in order.</param>
    /// <param name="howToGet">One short paragraph on how to get the data.</param>
    public DatasetNotFoundException(string dataset, IReadOnlyList<string> searched, string howToGet)
        : base($"{dataset} was not found. Looked in:{string.Concat(searched.Select(s => $"{Environment.NewLine}  - {s}"))}{Environment.NewLine}{howToGet}")
    {
        Dataset = dataset;
        Searched = searched;
    }

    /// <summary>The data set's name.</summary>
    public string Dataset { get; }

    /// <summary>Every folder looked at, in order.</summary>
    public IReadOnlyList<string> Searched { get; }
}
