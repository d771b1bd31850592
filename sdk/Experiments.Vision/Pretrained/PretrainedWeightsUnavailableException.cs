namespace Experiments.Vision.Pretrained;

/// <summary>
/// Pretrained weights cannot be made: the file they come from is missing, or it is not the file they were verified
/// on (altered, truncated, another version). A <see cref="MissingPrerequisiteException"/>: the runner leaves the trial
/// pending and stops the sweep, printing this message, which names the file and says how to get it back.
/// </summary>
public sealed class PretrainedWeightsUnavailableException : MissingPrerequisiteException
{
    public PretrainedWeightsUnavailableException(string model, string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Model = model;
        Path = path;
    }

    /// <summary>The catalog name whose weights could not be made (<c>resnet20.cntk_in1k</c>).</summary>
    public string Model { get; }

    /// <summary>The file that is missing or wrong (the first place looked at when it is missing).</summary>
    public string Path { get; }
}
