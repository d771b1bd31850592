using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using Experiments.Data;
using Experiments.Vision.Data;
using Experiments.Vision.Tests.Support;

namespace Experiments.Vision.Tests.Data;

/// <summary>
/// Where Fashion-MNIST is looked for. The environment is a dictionary and the Debian folder a temp folder, so these
/// tests neither read nor change the process environment and do not depend on what is installed.
/// </summary>
public sealed class FashionMnistLocatorTests
{
    [Fact]
    public void EXPERIMENTS_DATA_comes_before_the_Debian_folder()
    {
        using var temp = new TempDirectory();
        string root = temp.Combine("root");
        string debian = temp.Combine("debian");
        CopySample(Path.Combine(root, "fashion-mnist"));
        CopySample(debian);

        var locator = Locator(new() { ["EXPERIMENTS_DATA"] = root }, debian);
        var test = FashionMnistDataset.OpenWith(locator, DatasetPart.Test, folder: null, channels: 1);

        Assert.Equal([Path.Combine(root, "fashion-mnist"), debian], locator.Candidates);
        Assert.Equal(Path.Combine(root, "fashion-mnist"), test.Source);
        Assert.False(test.IsSample);
        Assert.Equal(FashionMnistDataset.SampleTestCount, test.Count);
    }

    [Fact]
    public void The_Debian_folder_is_used_when_the_data_root_has_nothing()
    {
        using var temp = new TempDirectory();
        string debian = temp.Combine("debian");
        CopySample(debian);
        Directory.CreateDirectory(temp.Combine("root", "fashion-mnist"));   // an empty folder is not the data set

        var locator = Locator(new() { ["EXPERIMENTS_DATA"] = temp.Combine("root") }, debian);

        Assert.Equal(debian, locator.Locate().Folder);
        Assert.Equal(debian, FashionMnistDataset.OpenWith(locator, DatasetPart.Test, null, 1).Source);
    }

    [Fact]
    public void Without_EXPERIMENTS_DATA_the_user_data_folder_comes_first()
    {
        var locator = Locator([], "/nonexistent/debian");

        Assert.Equal([Path.Combine(DataFolders.UserRoot, "fashion-mnist"), "/nonexistent/debian"], locator.Candidates);
        Assert.Contains(Path.Combine("experiments", "datasets", "fashion-mnist"), locator.Candidates[0]);
    }

    [Fact]
    public void An_explicit_folder_is_used_alone()
    {
        using var temp = new TempDirectory();
        string root = temp.Combine("root");
        CopySample(Path.Combine(root, "fashion-mnist"));
        string chosen = temp.Combine("chosen");
        CopySample(chosen);
        var locator = Locator(new() { ["EXPERIMENTS_DATA"] = root }, temp.Combine("debian"));

        Assert.Equal(chosen, FashionMnistDataset.OpenWith(locator, DatasetPart.Test, chosen, 1).Source);
        var error = Assert.Throws<DatasetNotFoundException>(() => FashionMnistDataset.OpenWith(locator, DatasetPart.Test, temp.Combine("empty"), 1));
        Assert.Equal([temp.Combine("empty")], error.Searched);
    }

    [Fact]
    public void EXPERIMENTS_FASHION_MNIST_names_the_folder_and_is_used_alone()
    {
        using var temp = new TempDirectory();
        string direct = temp.Combine("direct");
        string debian = temp.Combine("debian");
        CopySample(debian);

        var locator = Locator(new() { ["EXPERIMENTS_FASHION_MNIST"] = direct, ["EXPERIMENTS_DATA"] = temp.Combine("root") }, debian);

        Assert.Equal([direct], locator.Candidates);
        Assert.Throws<DatasetNotFoundException>(() => FashionMnistDataset.OpenWith(locator, DatasetPart.Test, null, 1));
        CopySample(direct);
        Assert.Equal(direct, FashionMnistDataset.OpenWith(locator, DatasetPart.Test, null, 1).Source);
    }

    [Fact]
    public void Not_found_lists_every_place_and_how_to_get_the_data()
    {
        using var temp = new TempDirectory();
        string root = temp.Combine("root");
        string debian = temp.Combine("debian");
        var locator = Locator(new() { ["EXPERIMENTS_DATA"] = root }, debian);

        var error = Assert.Throws<DatasetNotFoundException>(() => FashionMnistDataset.OpenWith(locator, DatasetPart.Train, null, 1));

        Assert.IsAssignableFrom<MissingPrerequisiteException>(error);
        Assert.Equal("Fashion-MNIST", error.Dataset);
        Assert.Equal([Path.Combine(root, "fashion-mnist"), debian], error.Searched);
        Assert.Contains($"  - {Path.Combine(root, "fashion-mnist")}", error.Message);
        Assert.Contains($"  - {debian}", error.Message);
        Assert.Contains("dotnet run -- data fetch fashion-mnist", error.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
        Assert.Contains("EXPERIMENTS_DATA", error.Message);
    }

    [Fact]
    public void The_source_finds_and_places_the_data_where_the_dataset_looks()
    {
        using var temp = new TempDirectory();
        string root = temp.Combine("root");
        var source = new FashionMnistSource(Locator(new() { ["EXPERIMENTS_DATA"] = root }, temp.Combine("debian")));

        Assert.Equal("fashion-mnist", source.Name);
        Assert.Equal(Path.Combine(root, "fashion-mnist"), source.DefaultDestination);
        Assert.False(source.Locate().Found);
        CopySample(source.DefaultDestination);
        Assert.Equal(source.DefaultDestination, source.Locate().Folder);

        Assert.Equal(new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"), source.DownloadUrl);
        Assert.Equal(
            ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"],
            source.Files.Select(f => f.Name));
        Assert.All(source.Files, f => Assert.Equal(DownloadDigest.GunzippedBytes, f.Digest));
    }

    [Fact]
    public void The_library_declares_its_source_for_the_runner()
    {
        var declared = typeof(FashionMnistDataset).Assembly.GetCustomAttributes<DatasetSourceAttribute>();

        Assert.Contains(declared, a => a.SourceType == typeof(FashionMnistSource));
        Assert.Equal("fashion-mnist", ((IDatasetSource)Activator.CreateInstance(typeof(FashionMnistSource))!).Name);
    }

    [DebianFashionMnistFact]
    public void The_download_digests_are_those_of_the_Debian_package()
    {
        foreach (var file in FashionMnistSource.DownloadFiles)
        {
            string path = Path.Combine(FashionMnistDataset.DefaultFolder, file.Name);
            using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var content = new MemoryStream();
            gzip.CopyTo(content);

            Assert.Equal(file.Length, content.Length);
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(content.ToArray())));
        }
    }

    private static FashionMnistLocator Locator(Dictionary<string, string> environment, string debian)
        => FashionMnistLocator.FromEnvironment(name => environment.GetValueOrDefault(name), debian);

    private static void CopySample(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(DataFixtures.FashionMnistSampleFolder, "*.gz"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
    }
}
