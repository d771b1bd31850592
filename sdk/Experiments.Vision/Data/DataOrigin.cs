namespace Experiments.Vision.Data;

/// <summary>Where a data set's images come from, for a trial's messages and metrics (<see cref="IImageDataset.Origin"/>).</summary>
/// <param name="Description">The folder read, or e.g. "the sample shipped with Experiments.Vision".</param>
/// <param name="IsSample">True for a packaged sample of a larger data set, false for the full set.</param>
public sealed record DataOrigin(string Description, bool IsSample);
