namespace Experiments.Vision.Data;

/// <summary>
/// A per-image transform the loader applies on its decoding threads, after decoding and before batching
/// (fastai's <c>item_tfms</c>: resize by squish / crop / pad). Every image of a batch must come out the same size and channel count.
/// </summary>
/// <remarks>
/// Called concurrently from several threads: an implementation keeps no mutable state, and draws every random
/// choice from <c>random</c>, which the loader seeds from (loader seed, epoch, dataset index) so that results do
/// not depend on thread scheduling. <see cref="ItemTransform.From"/> wraps a lambda.
/// </remarks>
public interface IItemTransform
{
    /// <param name="image">The decoded image; not to be modified in place.</param>
    /// <param name="random">This item's own random source for this epoch.</param>
    /// <param name="training">True for a training loader (random crops), false for validation (centre crops).</param>
    ImageData Apply(ImageData image, Random random, bool training);

    /// <summary>
    /// Whether <see cref="Apply"/> leaves no random choice for an image of this size — a validation crop, a squish, a
    /// crop whose region is the whole image — so that its result is the same in every epoch and the loader may keep
    /// it (<see cref="DataLoaderOptions.CacheBytes"/>). False unless the transform says otherwise.
    /// </summary>
    bool IsDeterministicFor(int width, int height, bool training) => false;
}
