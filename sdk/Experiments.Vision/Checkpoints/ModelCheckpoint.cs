using Experiments.Vision.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Checkpoints;

/// <summary>Options of <see cref="ModelCheckpoint.Load"/>.</summary>
public sealed record CheckpointLoadOptions
{
    public static CheckpointLoadOptions Default { get; } = new();

    /// <summary>
    /// When true (the default) any missing or unexpected key fails the load; when false the matching keys load and
    /// the others are reported in the result. A shape mismatch fails the load either way.
    /// </summary>
    public bool Strict { get; init; } = true;

    /// <summary>Keys of the file starting with one of these are skipped (e.g. a classifier: <c>fc.</c>, <c>head.fc.</c>).</summary>
    public IReadOnlyList<string> IgnoredKeyPrefixes { get; init; } = [];
}

/// <summary>What <see cref="ModelCheckpoint.Load"/> did.</summary>
/// <param name="Loaded">Keys copied into the model.</param>
/// <param name="Missing">Keys of the model the file lacks (only when not strict; <c>num_batches_tracked</c> never listed).</param>
/// <param name="Unexpected">Keys of the file the model lacks (only when not strict).</param>
/// <param name="Ignored">Keys of the file skipped by <see cref="CheckpointLoadOptions.IgnoredKeyPrefixes"/>.</param>
/// <param name="Metadata">The file's string metadata.</param>
public sealed record CheckpointLoadResult(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> Ignored,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>A shape that differs between a model and a checkpoint.</summary>
public sealed record ShapeMismatch(string Key, long[] ModelShape, long[] FileShape)
{
    public override string ToString() => $"{Key} (model [{string.Join(", ", ModelShape)}], file [{string.Join(", ", FileShape)}])";
}

/// <summary>A checkpoint's keys or shapes do not fit the model; the message lists every difference.</summary>
public sealed class CheckpointMismatchException : Exception
{
    private const int Listed = 25;

    public CheckpointMismatchException(string path, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<ShapeMismatch> shapes)
        : base(Describe(path, missing, unexpected, shapes))
    {
        Path = path;
        Missing = missing;
        Unexpected = unexpected;
        ShapeMismatches = shapes;
    }

    public string Path { get; }

    /// <summary>Keys of the model that the file lacks.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Keys of the file that the model lacks.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    public IReadOnlyList<ShapeMismatch> ShapeMismatches { get; }

    private static string Describe(string path, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<ShapeMismatch> shapes)
    {
        var parts = new List<string>();
        if (missing.Count > 0)
        {
            parts.Add($"{Count(missing.Count, "missing key")} (in the model, not in the file): {List(missing)}");
        }
        if (unexpected.Count > 0)
        {
            parts.Add($"{Count(unexpected.Count, "unexpected key")} (in the file, not in the model): {List(unexpected)}");
        }
        if (shapes.Count > 0)
        {
            parts.Add($"{Count(shapes.Count, "shape mismatch", "shape mismatches")}: {List(shapes.Select(s => s.ToString()).ToList())}");
        }
        return $"Checkpoint '{path}' does not fit the model: {string.Join("; ", parts)}.";
    }

    private static string Count(int count, string one, string? many = null) => count == 1 ? $"1 {one}" : $"{count} {many ?? one + "s"}";

    private static string List(IReadOnlyList<string> items) =>
        string.Join(", ", items.Take(Listed)) + (items.Count > Listed ? $", … and {items.Count - Listed} more" : "");
}

/// <summary>
/// Saves a model's state dict (parameters and buffers, by state-dict key) to a safetensors file and loads one by key
/// into a model (safetensors, or TorchSharp's own format): the names are the reference implementations' (timm /
/// torchvision), so a reference checkpoint in safetensors loads too. Loading never executes code from the file.
/// </summary>
public static class ModelCheckpoint
{
    private const string BatchCountSuffix = "num_batches_tracked";

    /// <summary>Writes <paramref name="module"/>'s state dict to <paramref name="path"/> (safetensors).</summary>
    /// <param name="module">The model.</param>
    /// <param name="path">The file to write (replaced atomically).</param>
    /// <param name="metadata">String metadata for the header; <c>format=pt</c> is added, as PyTorch writers do.</param>
    public static void Save(nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        var header = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        header.TryAdd("format", "pt");
        if (module is VisionModel vision)
        {
            header.TryAdd("model", vision.ModelName);
        }
        SafeTensors.Save(path, module.state_dict(), header);
    }

    /// <summary>
    /// Loads <paramref name="path"/> — safetensors, or TorchSharp's own <c>Module.save</c> format — into
    /// <paramref name="module"/> by state-dict key. BatchNorm's <c>num_batches_tracked</c> may be absent from either
    /// side. Values are converted to the model's dtype and device.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">Missing or unexpected keys (when strict) or different shapes; the message lists them.</exception>
    /// <exception cref="SafeTensorsFormatException">The file is not a valid safetensors file.</exception>
    /// <exception cref="InvalidDataException">The file is neither safetensors nor a valid TorchSharp state dict.</exception>
    public static CheckpointLoadResult Load(nn.Module module, string path, CheckpointLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        options ??= CheckpointLoadOptions.Default;
        // By name as well as by content: a damaged .safetensors file gets the safetensors reader's error, not the other format's.
        var (source, metadata) = path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) || SafeTensors.IsSafeTensors(path)
            ? SafeTensors.Load(path)
            : (TorchSharpFormat.Load(path), new Dictionary<string, string>());
        try
        {
            var target = module.state_dict();
            var ignored = source.Keys.Where(k => options.IgnoredKeyPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal)))
                .OrderBy(k => k, StringComparer.Ordinal).ToList();
            var fileKeys = source.Keys.Except(ignored).ToHashSet(StringComparer.Ordinal);

            var missing = target.Keys.Where(k => !fileKeys.Contains(k) && !IsBatchCount(k)).ToList();
            var unexpected = fileKeys.Where(k => !target.ContainsKey(k) && !IsBatchCount(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
            var shapes = target.Keys.Where(fileKeys.Contains)
                .Where(k => !target[k].shape.SequenceEqual(source[k].shape))
                .Select(k => new ShapeMismatch(k, target[k].shape, source[k].shape))
                .ToList();
            if (shapes.Count > 0 || (options.Strict && (missing.Count > 0 || unexpected.Count > 0)))
            {
                throw new CheckpointMismatchException(path, missing, unexpected, shapes);
            }

            var loaded = new List<string>();
            using (no_grad())
            {
                foreach (var (key, tensor) in target)
                {
                    if (fileKeys.Contains(key))
                    {
                        tensor.copy_(source[key]);
                        loaded.Add(key);
                    }
                }
            }
            return new CheckpointLoadResult(loaded, missing, unexpected, ignored, metadata);
        }
        finally
        {
            foreach (var tensor in source.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>
    /// Loads a checkpoint of the full reference model (e.g. timm's <c>convnext_atto</c> weights as safetensors) into
    /// <paramref name="model"/>'s body, skipping the reference classifier (<see cref="ImageModel.ClassifierKeyPrefixes"/>);
    /// the head keeps its fresh initialisation — fastai's pretrained <c>vision_learner</c>.
    /// </summary>
    public static CheckpointLoadResult LoadBody(VisionModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Load(model.Body, path, new CheckpointLoadOptions { IgnoredKeyPrefixes = model.Body.ClassifierKeyPrefixes });
    }

    /// <summary>The string metadata of a safetensors file's header.</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path) => SafeTensors.ReadHeader(path).Metadata;

    private static bool IsBatchCount(string key) => key == BatchCountSuffix || key.EndsWith("." + BatchCountSuffix, StringComparison.Ordinal);
}
