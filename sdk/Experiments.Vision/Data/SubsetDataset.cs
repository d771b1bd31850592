namespace Experiments.Vision.Data;

/// <summary>A view of some items of another dataset, in the given order (a split's training or validation part).</summary>
public sealed class SubsetDataset : IImageDataset
{
    private readonly int[] _indices;

    /// <param name="source">The dataset viewed.</param>
    /// <param name="indices">Indices into <paramref name="source"/>; item i of the subset is item <c>indices[i]</c> of the source.</param>
    public SubsetDataset(IImageDataset source, IEnumerable<int> indices)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(indices);
        Source = source;
        _indices = [.. indices];
        foreach (int index in _indices)
        {
            if ((uint)index >= (uint)source.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Index outside the source dataset of {source.Count} items.");
            }
        }
    }

    public IImageDataset Source { get; }

    /// <summary>The source index of every item of this subset.</summary>
    public IReadOnlyList<int> Indices => _indices;

    public int Count => _indices.Length;

    public IReadOnlyList<string> Classes => Source.Classes;

    public bool IsMultiLabel => Source.IsMultiLabel;

    public int Channels => Source.Channels;

    public ImageSample Get(int index) => Source.Get(_indices[index]);

    public int[] GetLabels(int index) => Source.GetLabels(_indices[index]);

    public string Describe(int index) => Source.Describe(_indices[index]);

    public DataOrigin? Origin => Source.Origin;
}
