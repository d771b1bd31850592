using System.Globalization;
using Experiments.Vision.Checkpoints;
using Experiments.Vision.Models;

namespace Experiments.Vision.Pretrained;

/// <summary>
/// The weights of the catalog's pretrained names (<see cref="ModelCatalog.WithWeights"/>, e.g.
/// <c>resnet20.cntk_in1k</c>) as a safetensors file of the reference model, which
/// <see cref="ModelCheckpoint.LoadBody"/> loads. Nothing is downloaded: the weights are converted from files the build
/// already restored, on first use, into a cache folder, and reused from there while their source and the converter
/// are unchanged — so a sweep converts once, and workers that start together each write a whole file or none
/// (written to a temporary name, then renamed).
/// </summary>
public static class PretrainedWeights
{
    /// <summary>The environment variable naming the cache folder.</summary>
    public const string CacheVariable = "EXPERIMENTS_WEIGHTS";

    /// <summary>Bumped when the conversion changes, so that caches made by an older converter are made again.</summary>
    public const int ConverterVersion = 1;

    /// <summary>
    /// The cache folder: <c>$EXPERIMENTS_WEIGHTS</c> when set, else <c>$XDG_CACHE_HOME/experiments/weights</c>, else
    /// <c>~/.cache/experiments/weights</c>.
    /// </summary>
    public static string CacheFolder(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment(CacheVariable) is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }
        string cacheHome = environment("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.GetFullPath(Path.Combine(cacheHome, "experiments", "weights"));
    }

    /// <summary>
    /// The safetensors file of <paramref name="name"/>'s weights (reference keys, no classifier), made on first use.
    /// </summary>
    /// <param name="name">A catalog name with weights (<c>resnet20.cntk_in1k</c>).</param>
    /// <param name="cacheFolder">Where converted weights are kept; default <see cref="CacheFolder"/>.</param>
    /// <param name="sources">Where to look for the source files; default <see cref="CntkResNetPackage.Candidates"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a catalog name with weights.</exception>
    /// <exception cref="PretrainedWeightsUnavailableException">The source is missing or altered; the message names the file.</exception>
    public static string Resolve(string name, string? cacheFolder = null, IReadOnlyList<CntkResNetFiles>? sources = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var info = ModelCatalog.Describe(name);
        if (info.Weights is null)
        {
            throw new ArgumentException(
                $"'{name}' is an architecture without weights; the names with pretrained weights are: {string.Join(", ", ModelCatalog.WithWeights.Select(m => m.Name))}.",
                nameof(name));
        }
        string path = Path.Combine(cacheFolder ?? CacheFolder(), name + ".safetensors");
        var provenance = ProvenanceOf(name);
        if (IsCurrent(path, provenance))
        {
            return path;
        }

        var files = CntkResNetPackage.Locate(name, sources);
        var exact = CntkResNetConverter.ReadNetwork(files.Network, ResNetConfig.ResNet20);
        try
        {
            using var meanImage = CntkResNetConverter.ReadMeanImage(files.Preprocess);
            var folded = CntkResNetConverter.FoldImageNetNormalization(exact, meanImage);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                SafeTensors.Save(path, folded, provenance);
            }
            finally
            {
                CntkResNetConverter.Dispose(folded);
            }
        }
        finally
        {
            CntkResNetConverter.Dispose(exact);
        }
        return path;
    }

    /// <summary>What the converted file's metadata says of where it comes from; a cached file is reused only when it says the same.</summary>
    private static Dictionary<string, string> ProvenanceOf(string name) => new(StringComparer.Ordinal)
    {
        ["format"] = "pt",
        ["model"] = name,
        ["source"] = $"NuGet {CntkResNetPackage.PackageId} {CntkResNetPackage.Version}: {CntkResNetPackage.NetworkPath}, {CntkResNetPackage.PreprocessPath}",
        ["source_sha256"] = $"{CntkResNetPackage.NetworkSha256} {CntkResNetPackage.PreprocessSha256}",
        ["license"] = "MIT (Microsoft.ML.DnnImageFeaturizer.ResNet18); weights trained by CNTK's ResNet18_ImageNet1K recipe on ImageNet-1k",
        ["input"] = "RGB in [0, 1] normalised with ImageNet's mean and std (folded into conv1 and bn1)",
        ["converter"] = ConverterVersion.ToString(CultureInfo.InvariantCulture),
    };

    private static bool IsCurrent(string path, IReadOnlyDictionary<string, string> provenance)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        try
        {
            var metadata = ModelCheckpoint.ReadMetadata(path);
            return provenance.All(kv => metadata.TryGetValue(kv.Key, out var value) && value == kv.Value);
        }
        catch (Exception error) when (error is SafeTensorsFormatException or IOException)
        {
            // A damaged cache entry is made again.
            return false;
        }
    }
}
