using Experiments.Vision.Data;

namespace Experiments.Vision.Inference;

/// <summary>Unlabelled images in memory, as a dataset, so that they go through the loader like any other items.</summary>
internal sealed class ImageListDataset : IImageDataset
{
    private readonly ImageData[] _images;

    public ImageListDataset(IEnumerable<ImageData> images, IReadOnlyList<string> classes, bool multiLabel)
    {
        ArgumentNullException.ThrowIfNull(images);
        _images = [.. images];
        for (int i = 0; i < _images.Length; i++)
        {
            if (_images[i].Pixels is null)
            {
                throw new ArgumentException($"Image {i} is default(ImageData), not an image.", nameof(images));
            }
        }
        Classes = classes;
        IsMultiLabel = multiLabel;
        Channels = _images.Length > 0 ? _images[0].Channels : 3;
    }

    public int Count => _images.Length;

    public IReadOnlyList<string> Classes { get; }

    public bool IsMultiLabel { get; }

    /// <summary>The first image's channels; the item transform of an export converts every image to the model's.</summary>
    public int Channels { get; }

    public ImageSample Get(int index) => new(_images[index], []);

    public int[] GetLabels(int index) => [];

    public string Describe(int index) => $"image #{index}";
}
