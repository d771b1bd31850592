using System.Security.Cryptography;

namespace Experiments.Vision.Pretrained;

/// <summary>The two ONNX graphs of <see cref="CntkResNetPackage"/>, found and verified.</summary>
/// <param name="Network">ResNet18.onnx: CNTK's ImageNet ResNet up to the 7×7 average pool (512 features).</param>
/// <param name="Preprocess">ResNetPreprocess.onnx: RGB → BGR and the subtraction of a 224×224 mean image (0–255 scale).</param>
public sealed record CntkResNetFiles(string Network, string Preprocess);

/// <summary>
/// The NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.24.0 (MIT, © Microsoft; ML.NET's ResNet18 image
/// featurizer): ONNX exports (CNTK 2.6) of CNTK's ImageNet-1k ResNet and of its preprocessing. Projects that use the
/// vision library download it into the NuGet folder at restore (a <c>PackageDownload</c>: the files only, none of its
/// ML.NET dependencies); this class finds the two files there and checks their SHA-256 against the ones this project
/// was verified on, so a changed file is refused with its name instead of giving quietly different weights.
/// </summary>
public static class CntkResNetPackage
{
    /// <summary>The package's id.</summary>
    public const string PackageId = "Microsoft.ML.DnnImageFeaturizer.ResNet18";

    /// <summary>The version verified.</summary>
    public const string Version = "0.24.0";

    /// <summary>The network, relative to the package folder.</summary>
    public const string NetworkPath = "tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx";

    /// <summary>The preprocessing graph, relative to the package folder.</summary>
    public const string PreprocessPath = "tools/DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx";

    /// <summary>SHA-256 of <see cref="NetworkPath"/> in 0.24.0.</summary>
    public const string NetworkSha256 = "e2552f19db2dfdb01b3669537b6a0f1b44da38d18279535492ed5dfc2ef1ff8f";

    /// <summary>SHA-256 of <see cref="PreprocessPath"/> in 0.24.0.</summary>
    public const string PreprocessSha256 = "84bf8def78d0befaa3f6e73745d57d7016c6a192ead76f79686bd438c1047004";

    /// <summary>The <c>runtimeconfig.json</c> option in which the Experiments SDK records the project's NuGet package folder.</summary>
    public const string PackageRootSetting = "Experiments.NuGetPackageRoot";

    /// <summary>
    /// Where the two files are looked for, in order: in the package folder under the project's NuGet folder as the SDK
    /// recorded it, under <c>$NUGET_PACKAGES</c>, under <c>~/.nuget/packages</c>; then in the application's own folder,
    /// where the package's props copy <c>DnnImageModels/</c> when a project references the package itself.
    /// </summary>
    public static IReadOnlyList<CntkResNetFiles> Candidates(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var roots = new List<string>();
        if (AppContext.GetData(PackageRootSetting) is string recorded && recorded.Length > 0)
        {
            roots.Add(recorded);
        }
        if (environment("NUGET_PACKAGES") is { Length: > 0 } configured)
        {
            roots.Add(configured);
        }
        roots.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"));
        var candidates = roots.Select(root => InPackage(Path.Combine(root, PackageId.ToLowerInvariant(), Version))).ToList();
        var copied = Path.Combine(AppContext.BaseDirectory, "DnnImageModels");
        candidates.Add(new(Path.Combine(copied, "ResNet18Onnx", "ResNet18.onnx"), Path.Combine(copied, "ResNetPrepOnnx", "ResNetPreprocess.onnx")));
        return candidates.DistinctBy(c => c.Network, StringComparer.Ordinal).ToList();
    }

    /// <summary>The two files in an unpacked package folder (<c>…/microsoft.ml.dnnimagefeaturizer.resnet18/0.24.0</c>).</summary>
    public static CntkResNetFiles InPackage(string packageFolder) =>
        new(Path.GetFullPath(Path.Combine(packageFolder, NetworkPath)), Path.GetFullPath(Path.Combine(packageFolder, PreprocessPath)));

    /// <summary>Finds both files (the first of <paramref name="candidates"/> that has them) and verifies their SHA-256.</summary>
    /// <param name="model">The catalog name asking, for the messages.</param>
    /// <param name="candidates">Where to look; default <see cref="Candidates"/>.</param>
    /// <exception cref="PretrainedWeightsUnavailableException">A file is missing or differs from the verified one; the message names it.</exception>
    public static CntkResNetFiles Locate(string model, IReadOnlyList<CntkResNetFiles>? candidates = null)
    {
        candidates ??= Candidates();
        foreach (var files in candidates)
        {
            if (File.Exists(files.Network) && File.Exists(files.Preprocess))
            {
                Verify(model, files.Network, NetworkSha256);
                Verify(model, files.Preprocess, PreprocessSha256);
                return files;
            }
        }
        throw new PretrainedWeightsUnavailableException(model, candidates[0].Network,
            $"The ImageNet weights of {model} come from the NuGet package {PackageId} {Version}, which was not found. Looked for:" +
            string.Concat(candidates.Select(c => $"{Environment.NewLine}  - {c.Network}")) + Environment.NewLine +
            "A project that uses the Experiments SDK with ExperimentsUseVision downloads it at restore: run 'dotnet restore'. " +
            $"Elsewhere, add <PackageDownload Include=\"{PackageId}\" Version=\"[{Version}]\" /> to the project and restore.");
    }

    private static void Verify(string model, string path, string expected)
    {
        string actual;
        using (var stream = File.OpenRead(path))
        {
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        if (actual != expected)
        {
            throw new PretrainedWeightsUnavailableException(model, path,
                $"'{path}' is not the file of {PackageId} {Version} that the weights of {model} were verified on: its SHA-256 is " +
                $"{actual}, expected {expected}. The file was altered or truncated: delete the package's folder (the one holding tools/) " +
                "and run 'dotnet restore' to download it again.");
        }
    }
}
