using System.Globalization;
using Experiments.Vision.Models;

namespace Experiments.Vision.Checkpoints;

/// <summary>
/// What a trial of a successive-halving experiment leaves in its artifacts folder so that the same configuration one
/// rung up can train on instead of starting over: the model's state dict (weights and BatchNorm statistics) as
/// safetensors (<see cref="FileName"/>; no optimizer state: the continuation starts a new schedule, whose warm-up
/// rebuilds AdamW's moments), with the model's name and the epochs it was trained for in the header.
/// </summary>
public static class ContinuationCheckpoint
{
    /// <summary>The file's name in the trial's output folder.</summary>
    public const string FileName = "continuation.safetensors";

    private const string EpochsKey = "epochs";

    /// <summary>Where a trial whose output folder is <paramref name="directory"/> keeps its continuation checkpoint.</summary>
    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    /// <summary>Writes <paramref name="model"/>'s state dict, trained for <paramref name="epochs"/>, to <see cref="PathIn"/> (atomically).</summary>
    public static string Save(VisionModel model, string directory, int epochs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        string path = PathIn(directory);
        ModelCheckpoint.Save(model, path, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EpochsKey] = epochs.ToString(CultureInfo.InvariantCulture),
        });
        return path;
    }

    /// <summary>
    /// Loads the checkpoint in <paramref name="directory"/> into <paramref name="model"/> when it is there, readable, of the
    /// same model (name, keys, shapes) and trained for <paramref name="epochs"/>. Returns null when it loaded, else why not
    /// (the model is then unchanged: the file is checked in full before any weight is copied). Never throws for a bad file.
    /// </summary>
    public static string? TryLoad(VisionModel model, string? directory, int epochs)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (string.IsNullOrWhiteSpace(directory))
        {
            return "the previous rung has no artifacts folder";
        }
        string path = PathIn(directory);
        if (!File.Exists(path))
        {
            return $"no continuation checkpoint at {path}";
        }
        try
        {
            var metadata = ModelCheckpoint.ReadMetadata(path);
            if (!metadata.TryGetValue("model", out var name) || name != model.ModelName)
            {
                return $"{path} holds model '{name}', not '{model.ModelName}'";
            }
            string expected = epochs.ToString(CultureInfo.InvariantCulture);
            if (!metadata.TryGetValue(EpochsKey, out var trained) || trained != expected)
            {
                return $"{path} was trained for {trained ?? "an unknown number of"} epochs, not {expected}";
            }
            ModelCheckpoint.Load(model, path);
            return null;
        }
        catch (Exception ex) when (ex is SafeTensorsFormatException or CheckpointMismatchException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return $"{path} could not be loaded: {ex.Message}";
        }
    }
}
