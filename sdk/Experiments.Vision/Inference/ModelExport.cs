using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Experiments.Vision.Checkpoints;
using Experiments.Vision.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Inference;

/// <summary>
/// Exports a trained <see cref="VisionModel"/> for inference — weights as safetensors plus JSON metadata
/// (<see cref="ExportManifest"/>) under a unique name <c>{architecture}_{description}</c> — and loads an export back.
/// </summary>
/// <remarks>
/// <para>
/// Files: <c>{directory}/{name}.safetensors</c> (the state dict, by the catalog's keys) and <c>{directory}/{name}.json</c>.
/// The name is the catalog name and the description joined by <c>_</c>, every character other than ASCII letters,
/// digits, <c>.</c>, <c>_</c> and <c>-</c> replaced by <c>-</c> (see <see cref="NameFor"/>). When an export of that
/// name exists, <see cref="ExportCollision.AddSuffix"/> (the default) saves as <c>{name}_2</c>, <c>{name}_3</c>, …:
/// nothing is overwritten unless <see cref="ExportCollision.Overwrite"/> is asked for. Creating <c>{name}.json</c>
/// exclusively reserves a name, so trials exporting into one folder at once never take the same one.
/// </para>
/// <para>
/// Loading parses JSON and copies tensor bytes only: the architecture is rebuilt from the catalog by name, the weights
/// must be safetensors (anything else, such as a pickle checkpoint, is refused before being read), they must match the
/// recorded SHA-256, and every key and shape must fit the rebuilt model (strict).
/// </para>
/// </remarks>
public static class ModelExport
{
    /// <summary>Extension of the weights file.</summary>
    public const string WeightsExtension = ".safetensors";

    /// <summary>Extension of the metadata file.</summary>
    public const string MetadataExtension = ".json";

    /// <summary>Longest export name (before a collision suffix), well inside file-name limits.</summary>
    public const int MaxNameLength = 160;

    private const int MaxSuffix = 100_000;

    /// <summary>Writes <paramref name="model"/> to <paramref name="directory"/> under a unique name <c>{architecture}_{description}</c>.</summary>
    /// <param name="model">A catalog model (its head as <see cref="VisionHead.Create"/> builds it).</param>
    /// <param name="directory">Created when missing.</param>
    /// <param name="description">What distinguishes this model (data set, settings, trial); may be empty. Sanitised for the name, kept verbatim in the metadata.</param>
    /// <param name="metadata">Classes, image preparation, metrics.</param>
    /// <param name="collision">When the name is taken: add a suffix (default), fail, or overwrite.</param>
    /// <exception cref="ArgumentException">The metadata does not fit the model (number of classes, channels, fixed input size).</exception>
    /// <exception cref="IOException">With <see cref="ExportCollision.Fail"/>: an export of this name exists.</exception>
    public static ExportedFiles Save(VisionModel model, string directory, string description, ExportMetadata metadata,
        ExportCollision collision = ExportCollision.AddSuffix)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(metadata);
        if (!Enum.IsDefined(collision))
        {
            throw new ArgumentOutOfRangeException(nameof(collision), collision, "Unknown collision policy.");
        }
        var head = HeadDescription.Read(model);
        Validate(model, head, metadata);

        directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(directory);
        var (name, metadataPath, reserved) = Reserve(directory, NameFor(model.ModelName, description), collision);
        string weightsPath = Path.Combine(directory, name + WeightsExtension);
        try
        {
            ModelCheckpoint.Save(model, weightsPath, new Dictionary<string, string> { ["export"] = name });
            var manifest = new ExportManifest
            {
                Name = name,
                Architecture = model.ModelName,
                Description = description,
                WeightsFile = name + WeightsExtension,
                WeightsSha256 = Sha256(weightsPath),
                Classes = [.. metadata.Classes],
                MultiLabel = metadata.MultiLabel,
                InputChannels = model.Body.InChannels,
                ImageHeight = metadata.ImageHeight,
                ImageWidth = metadata.ImageWidth,
                ResizeMethod = metadata.ResizeMethod,
                PadMode = metadata.PadMode,
                Normalization = metadata.Normalization,
                Pooling = head.Pooling,
                HiddenSize = head.HiddenSize,
                Dropout = head.Dropout,
                Metrics = new Dictionary<string, double>(metadata.Metrics, StringComparer.Ordinal),
                Properties = new Dictionary<string, string>(metadata.Properties, StringComparer.Ordinal),
                Created = DateTimeOffset.UtcNow,
                LibraryVersion = LibraryVersion,
                TorchSharpVersion = TorchRuntime.EnsureLoaded().TorchSharpVersion,
            };
            WriteAtomically(metadataPath, ExportManifestJson.Write(manifest));
            return new ExportedFiles(name, metadataPath, weightsPath, manifest);
        }
        catch
        {
            if (reserved)
            {
                // Leave no half export behind (and free the name).
                File.Delete(weightsPath);
                File.Delete(metadataPath);
            }
            throw;
        }
    }

    /// <summary>
    /// Loads an export for inference: the metadata (<c>{name}.json</c>; the <c>.safetensors</c> path or the path without
    /// extension also finds it), then the weights into the catalog architecture it names, strictly. The model is in eval mode.
    /// </summary>
    /// <param name="path">The export's metadata file, weights file, or path without extension.</param>
    /// <param name="device">Where to put the model (default: the CPU).</param>
    /// <exception cref="FileNotFoundException">No export at <paramref name="path"/>.</exception>
    /// <exception cref="ExportFormatException">Malformed metadata (the message names the file and field), or weights that are not safetensors or do not match the recorded hash.</exception>
    /// <exception cref="SafeTensorsFormatException">The weights file is damaged.</exception>
    /// <exception cref="CheckpointMismatchException">The weights do not fit the architecture (keys or shapes).</exception>
    public static ExportedModel Load(string path, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string metadataPath = Path.GetFullPath(ResolveMetadataPath(path));
        var manifest = ExportManifestJson.Read(metadataPath);
        string weightsPath = Path.Combine(Path.GetDirectoryName(metadataPath)!, manifest.WeightsFile);
        if (!File.Exists(weightsPath))
        {
            throw new ExportFormatException(metadataPath, "weights", $"names '{manifest.WeightsFile}', which is not in the metadata's folder");
        }
        if (!SafeTensors.IsSafeTensors(weightsPath))
        {
            throw new ExportFormatException(weightsPath, null,
                "is not a safetensors file; exports load safetensors weights only (pickle checkpoints and other formats that can run code are refused)");
        }
        if (manifest.WeightsSha256 is { } expected && Sha256(weightsPath) != expected)
        {
            throw new ExportFormatException(weightsPath, null, $"does not match the weights_sha256 recorded in '{metadataPath}' (the file was changed or replaced)");
        }

        var model = ModelCatalog.Create(manifest.Architecture, manifest.NumClasses, manifest.InputChannels, manifest.ModelOptions);
        try
        {
            var rebuilt = HeadDescription.Read(model);
            if (rebuilt.Pooling != manifest.Pooling)
            {
                string Describe(Pooling? p) => p is { } value ? $"\"{ExportManifestJson.EnumName(value)}\"" : "null";
                throw new ExportFormatException(metadataPath, "head.pooling",
                    $"is {Describe(manifest.Pooling)} but {manifest.Architecture}'s head takes {(rebuilt.Pooling is null ? "null (its body output is already pooled)" : "\"concat\" or \"average\"")}");
            }
            ModelCheckpoint.Load(model, weightsPath, new CheckpointLoadOptions { Strict = true });
            model.eval();
            if (device is not null)
            {
                model.to(device);
            }
            return new ExportedModel(manifest, metadataPath, weightsPath, model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Reads an export's metadata only (no weights, no model).</summary>
    /// <inheritdoc cref="Load" path="/exception"/>
    public static ExportManifest ReadManifest(string path) => ExportManifestJson.Read(Path.GetFullPath(ResolveMetadataPath(path)));

    /// <summary>
    /// The export name for <paramref name="architecture"/> and <paramref name="description"/>: <c>{architecture}_{description}</c>
    /// with every run of characters other than ASCII letters, digits, <c>.</c>, <c>_</c> and <c>-</c> replaced by one
    /// <c>-</c>, separators trimmed from the description's ends, at most <see cref="MaxNameLength"/> characters; just the
    /// architecture when the description has nothing left.
    /// </summary>
    public static string NameFor(string architecture, string description)
    {
        ArgumentException.ThrowIfNullOrEmpty(architecture);
        ArgumentNullException.ThrowIfNull(description);
        string arch = Sanitize(architecture);
        if (arch.Length == 0)
        {
            throw new ArgumentException($"'{architecture}' has no character an export name can use.", nameof(architecture));
        }
        string detail = Sanitize(description);
        string name = detail.Length == 0 ? arch : $"{arch}_{detail}";
        return name.Length <= MaxNameLength ? name : name[..MaxNameLength].TrimEnd('-', '.', '_');
    }

    /// <summary>Whether <paramref name="name"/> is a name <see cref="NameFor"/> (plus a suffix) can give.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxNameLength + 8 && char.IsAsciiLetterOrDigit(name[0]) && name.All(IsNameChar);

    internal static string Sanitize(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (IsNameChar(c))
            {
                result.Append(c);
            }
            else if (result.Length == 0 || result[^1] != '-')
            {
                result.Append('-');
            }
        }
        return result.ToString().Trim('-', '.', '_');
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';

    private static void Validate(VisionModel model, HeadDescription head, ExportMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata.Classes, nameof(metadata));
        if (metadata.Classes.Count != head.NumClasses)
        {
            throw new ArgumentException($"The metadata lists {metadata.Classes.Count} classes but the model has {head.NumClasses} outputs.", nameof(metadata));
        }
        if (metadata.Classes.Any(c => c is null))
        {
            throw new ArgumentException("A class name is null.", nameof(metadata));
        }
        var duplicate = metadata.Classes.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The class '{duplicate.Key}' is listed twice.", nameof(metadata));
        }
        if (metadata.ImageHeight < 1 || metadata.ImageWidth < 1)
        {
            throw new ArgumentException($"The image size {metadata.ImageHeight}×{metadata.ImageWidth} is not positive.", nameof(metadata));
        }
        if (ModelCatalog.Describe(model.ModelName).InputSize is { } size && (metadata.ImageHeight != size || metadata.ImageWidth != size))
        {
            throw new ArgumentException($"{model.ModelName} takes {size}×{size} inputs, not {metadata.ImageHeight}×{metadata.ImageWidth}.", nameof(metadata));
        }
        if (!Enum.IsDefined(metadata.ResizeMethod) || !Enum.IsDefined(metadata.PadMode))
        {
            throw new ArgumentException("Unknown resize method or pad mode.", nameof(metadata));
        }
        if (metadata.Normalization is { } normalization && normalization.Mean.Count != 1 && normalization.Mean.Count != model.Body.InChannels)
        {
            throw new ArgumentException($"The normalisation has {normalization.Mean.Count} channels, the model {model.Body.InChannels}.", nameof(metadata));
        }
        if (metadata.Properties.Values.Any(v => v is null))
        {
            throw new ArgumentException("A property value is null.", nameof(metadata));
        }
    }

    /// <summary>Picks the name and, unless overwriting, claims it by creating the metadata file exclusively.</summary>
    private static (string Name, string MetadataPath, bool Reserved) Reserve(string directory, string baseName, ExportCollision collision)
    {
        for (int k = 1; k <= MaxSuffix; k++)
        {
            string name = k == 1 ? baseName : $"{baseName}_{k}";
            string metadataPath = Path.Combine(directory, name + MetadataExtension);
            string weightsPath = Path.Combine(directory, name + WeightsExtension);
            if (collision == ExportCollision.Overwrite)
            {
                return (name, metadataPath, false);
            }
            bool taken = File.Exists(weightsPath);
            if (!taken)
            {
                try
                {
                    new FileStream(metadataPath, FileMode.CreateNew, FileAccess.Write, FileShare.None).Dispose();
                    return (name, metadataPath, true);
                }
                catch (IOException) when (File.Exists(metadataPath))
                {
                    taken = true;
                }
            }
            if (collision == ExportCollision.Fail)
            {
                throw new IOException(
                    $"An export named '{name}' already exists in '{directory}' ({(File.Exists(metadataPath) ? metadataPath : weightsPath)}); "
                    + "choose another description, or save with ExportCollision.AddSuffix or Overwrite.");
            }
        }
        throw new IOException($"Every name from '{baseName}' to '{baseName}_{MaxSuffix}' is taken in '{directory}'.");
    }

    private static string ResolveMetadataPath(string path)
    {
        if (path.EndsWith(MetadataExtension, StringComparison.OrdinalIgnoreCase))
        {
            return path;
        }
        if (path.EndsWith(WeightsExtension, StringComparison.OrdinalIgnoreCase))
        {
            return Path.ChangeExtension(path, MetadataExtension);
        }
        return path + MetadataExtension;
    }

    private static void WriteAtomically(string path, byte[] content)
    {
        string temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.tmp-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(temporary, content);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    internal static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string LibraryVersion { get; } =
        typeof(ModelExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ModelExport).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
