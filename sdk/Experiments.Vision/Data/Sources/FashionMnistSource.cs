using Experiments.Data;

namespace Experiments.Vision.Data;

/// <summary>
/// Fashion-MNIST for <c>data list</c> and <c>data fetch fashion-mnist</c>: upstream's four gzipped IDX files, each
/// checked by the SHA-256 of its decompressed content (so any faithful mirror passes, re-compressed or not), found
/// and placed where <see cref="FashionMnistDataset.Open"/> looks.
/// </summary>
public sealed class FashionMnistSource : IDatasetSource
{
    private readonly FashionMnistLocator _locator;

    /// <summary>The source as this process's environment places it.</summary>
    public FashionMnistSource()
        : this(FashionMnistLocator.FromEnvironment())
    {
    }

    internal FashionMnistSource(FashionMnistLocator locator)
    {
        _locator = locator;
    }

    /// <summary>Upstream's download location (zalandoresearch/fashion-mnist).</summary>
    public static Uri UpstreamUrl { get; } = new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

    /// <summary>The four files, with the SHA-256 and length of their decompressed content (from Debian's dataset-fashion-mnist, identical to upstream's).</summary>
    public static IReadOnlyList<DownloadFile> DownloadFiles { get; } =
    [
        new("train-images-idx3-ubyte.gz", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 47_040_016, DownloadDigest.GunzippedBytes),
        new("train-labels-idx1-ubyte.gz", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60_008, DownloadDigest.GunzippedBytes),
        new("t10k-images-idx3-ubyte.gz", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 7_840_016, DownloadDigest.GunzippedBytes),
        new("t10k-labels-idx1-ubyte.gz", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10_008, DownloadDigest.GunzippedBytes),
    ];

    public string Name => "fashion-mnist";

    public string Description => "Fashion-MNIST (Zalando Research): 70,000 28×28 grey images of clothing in 10 classes, about 30 MB";

    public Uri DownloadUrl => UpstreamUrl;

    public IReadOnlyList<DownloadFile> Files => DownloadFiles;

    public string DefaultDestination => _locator.Candidates[0];

    public DatasetLookup Locate() => _locator.Locate();
}
