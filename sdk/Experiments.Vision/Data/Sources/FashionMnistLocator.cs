using Experiments.Data;

namespace Experiments.Vision.Data;

/// <summary>
/// Where Fashion-MNIST is read from — the one place that decides it, for <see cref="FashionMnistDataset.Open"/> and
/// for <c>data list</c>/<c>data fetch</c> (<see cref="FashionMnistSource"/>). Folders are tried in order and the first
/// that holds any of the four IDX files (raw or <c>.gz</c>) is used:
/// <list type="number">
/// <item><c>$EXPERIMENTS_FASHION_MNIST</c>, when set: a folder holding the files, used alone (a typo is an error, not a silent fallback);</item>
/// <item>otherwise <c>ROOT/fashion-mnist</c>, ROOT being <c>$EXPERIMENTS_DATA</c> or the user data folder (<see cref="DataFolders.Root"/>), where <c>data fetch</c> writes;</item>
/// <item>then <see cref="FashionMnistDataset.DefaultFolder"/>, where Debian's <c>dataset-fashion-mnist</c> installs them.</item>
/// </list>
/// An explicit folder is used alone.
/// </summary>
internal sealed class FashionMnistLocator
{
    /// <summary>The environment variable that names a Fashion-MNIST folder directly.</summary>
    public const string FolderVariable = "EXPERIMENTS_FASHION_MNIST";

    /// <summary>The data set's sub-folder of the data root.</summary>
    public const string SubFolder = "fashion-mnist";

    /// <summary>The IDX files without extension, training part first.</summary>
    public static readonly IReadOnlyList<string> FileNames =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    internal FashionMnistLocator(IReadOnlyList<string> candidates)
    {
        Candidates = candidates.Select(Path.GetFullPath).ToArray();
    }

    /// <summary>The folders looked at, in order.</summary>
    public IReadOnlyList<string> Candidates { get; }

    /// <summary>The folders this process's environment gives.</summary>
    /// <param name="environment">Reads an environment variable (tests pass their own); default the process environment.</param>
    /// <param name="debianFolder">The Debian package folder (tests pass one of their own).</param>
    public static FashionMnistLocator FromEnvironment(Func<string, string?>? environment = null, string debianFolder = FashionMnistDataset.DefaultFolder)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string? direct = environment(FolderVariable);
        return string.IsNullOrWhiteSpace(direct)
            ? new FashionMnistLocator([Path.Combine(DataFolders.Root(environment), SubFolder), debianFolder])
            : new FashionMnistLocator([direct]);
    }

    /// <summary>The first candidate that holds Fashion-MNIST, or none.</summary>
    public DatasetLookup Locate() => new(Candidates.FirstOrDefault(HoldsAnyFile), Candidates);

    /// <summary>The folder to read: <paramref name="explicitFolder"/> when given, else the first candidate holding the data.</summary>
    /// <exception cref="DatasetNotFoundException">No folder looked at holds any of the files.</exception>
    public string Resolve(string? explicitFolder)
    {
        var locator = explicitFolder is null ? this : new FashionMnistLocator([explicitFolder]);
        var lookup = locator.Locate();
        return lookup.Folder ?? throw new DatasetNotFoundException("Fashion-MNIST", lookup.Searched, HowToGet(locator.Candidates[0], explicitFolder is not null));
    }

    private static bool HoldsAnyFile(string folder)
        => FileNames.Any(name => File.Exists(Path.Combine(folder, name + ".gz")) || File.Exists(Path.Combine(folder, name)));

    private static string HowToGet(string destination, bool explicitFolder)
        => explicitFolder
            ? $"To get it there, run `dotnet run -- data fetch fashion-mnist --to {destination}` in an experiment project, "
              + "or copy the four IDX files (train-/t10k-images-idx3-ubyte, train-/t10k-labels-idx1-ubyte, .gz or not) into it."
            : $"To get it, run `dotnet run -- data fetch fashion-mnist` in an experiment project (downloads about 30 MB to {destination}), "
              + $"or install the Debian package (`apt-get install dataset-fashion-mnist`), or set {DataFolders.RootVariable} to a folder "
              + $"whose {SubFolder}/ sub-folder holds the four IDX files. FashionMnistDataset.OpenSample() reads the small sample "
              + "shipped with Experiments.Vision (1,000 training and 200 test images) without any of these.";
}
