namespace Experiments.Vision.Data;

/// <summary>Item transforms made from delegates, and composition.</summary>
public static class ItemTransform
{
    /// <summary>An item transform that calls <paramref name="apply"/>; see <see cref="IItemTransform"/> for its contract.</summary>
    public static IItemTransform From(Func<ImageData, Random, bool, ImageData> apply)
    {
        ArgumentNullException.ThrowIfNull(apply);
        return new DelegateTransform(apply);
    }

    /// <summary>The transforms applied in order, sharing the item's random source.</summary>
    public static IItemTransform Compose(params IItemTransform[] transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        return new ComposedTransform([.. transforms]);
    }

    private sealed class DelegateTransform(Func<ImageData, Random, bool, ImageData> apply) : IItemTransform
    {
        public ImageData Apply(ImageData image, Random random, bool training) => apply(image, random, training);
    }

    private sealed class ComposedTransform(IItemTransform[] transforms) : IItemTransform
    {
        public ImageData Apply(ImageData image, Random random, bool training)
        {
            foreach (var transform in transforms)
            {
                image = transform.Apply(image, random, training);
            }
            return image;
        }
    }
}
