using System.IO.Compression;
using Experiments.Data;
using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.Data;

/// <summary>The downloader against a loopback server serving the Fashion-MNIST sample files; never the network.</summary>
public sealed class FileDownloaderTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("experiments-download-tests-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private string Target => Path.Combine(_temp, "target");

    [Fact]
    public async Task Files_are_downloaded_verified_and_skipped_once_present()
    {
        await using var server = LoopbackServer.ServingFiles(SampleFiles.Bytes);
        var files = SampleFiles.Gunzipped();
        var progress = new RecordingProgress();
        using var downloader = new FileDownloader();

        var first = await downloader.DownloadAsync(server.BaseUrl, files, Target, progress);

        Assert.Equal(Target, first.Folder);
        Assert.Equal(files.Select(f => f.Name), first.Downloaded);
        Assert.Empty(first.AlreadyPresent);
        Assert.Equal(files.Select(f => f.Name).Order(), Directory.GetFiles(Target).Select(Path.GetFileName).Order());   // no temporary file left
        Assert.All(files, f => Assert.Equal(SampleFiles.Bytes[f.Name], File.ReadAllBytes(Path.Combine(Target, f.Name))));
        Assert.All(files, f => Assert.Contains(new DownloadProgress(f.Name, SampleFiles.Bytes[f.Name].Length, SampleFiles.Bytes[f.Name].Length), progress.Reports));

        var second = await downloader.DownloadAsync(server.BaseUrl, files, Target, progress);

        Assert.Empty(second.Downloaded);
        Assert.Equal(files.Select(f => f.Name), second.AlreadyPresent);
        Assert.Equal(files.Count, server.Requests.Count);   // nothing fetched again
    }

    [Fact]
    public async Task A_digest_of_the_decompressed_content_accepts_a_recompressed_mirror()
    {
        var name = "t10k-labels-idx1-ubyte.gz";
        var content = SampleFiles.Gunzip(SampleFiles.Bytes[name]);
        var recompressed = SampleFiles.Gzip(content, CompressionLevel.NoCompression);
        Assert.NotEqual(SampleFiles.Bytes[name], recompressed);
        await using var server = LoopbackServer.ServingFiles(new Dictionary<string, byte[]> { [name] = recompressed });
        using var downloader = new FileDownloader();

        var summary = await downloader.DownloadAsync(server.BaseUrl, [SampleFiles.Describe(name, content, DownloadDigest.GunzippedBytes)], Target);

        Assert.Equal([name], summary.Downloaded);
    }

    [Fact]
    public async Task A_digest_of_the_stored_bytes_checks_the_file_itself()
    {
        var name = "t10k-labels-idx1-ubyte.gz";
        await using var server = LoopbackServer.ServingFiles(SampleFiles.Bytes);
        using var downloader = new FileDownloader();

        await downloader.DownloadAsync(server.BaseUrl, [SampleFiles.Describe(name, SampleFiles.Bytes[name], DownloadDigest.StoredBytes)], Target);

        Assert.Equal(SampleFiles.Bytes[name], File.ReadAllBytes(Path.Combine(Target, name)));
    }

    [Fact]
    public async Task A_corrupted_file_is_refused_with_both_digests_and_nothing_is_left()
    {
        var files = SampleFiles.Gunzipped();
        var served = new Dictionary<string, byte[]>(SampleFiles.Bytes);
        var content = SampleFiles.Gunzip(served["train-labels-idx1-ubyte.gz"]);
        content[^1] ^= 0xFF;
        served["train-labels-idx1-ubyte.gz"] = SampleFiles.Gzip(content);
        var corrupted = SampleFiles.Describe("train-labels-idx1-ubyte.gz", content, DownloadDigest.GunzippedBytes);
        var expected = files.Single(f => f.Name == "train-labels-idx1-ubyte.gz");
        await using var server = LoopbackServer.ServingFiles(served);
        using var downloader = new FileDownloader();

        var error = await Assert.ThrowsAsync<DownloadException>(() => downloader.DownloadAsync(server.BaseUrl, files, Target));

        Assert.Contains("train-labels-idx1-ubyte.gz", error.Message);
        Assert.Contains(corrupted.Sha256, error.Message);
        Assert.Contains(expected.Sha256, error.Message);
        Assert.Contains($"nothing was changed in {Target}", error.Message);
        Assert.False(Directory.Exists(Target), "the folder the download created is removed again");
    }

    [Fact]
    public async Task A_failure_leaves_an_existing_folder_as_it_was()
    {
        Directory.CreateDirectory(Target);
        File.WriteAllText(Path.Combine(Target, "t10k-labels-idx1-ubyte.gz"), "an old invalid copy");
        var files = SampleFiles.Gunzipped();
        var served = new Dictionary<string, byte[]>(SampleFiles.Bytes);
        served.Remove("train-labels-idx1-ubyte.gz");   // fetched after the others, so they have arrived by then
        await using var server = LoopbackServer.ServingFiles(served);
        using var downloader = new FileDownloader();

        await Assert.ThrowsAsync<DownloadException>(() => downloader.DownloadAsync(server.BaseUrl, files, Target));

        Assert.Equal(["t10k-labels-idx1-ubyte.gz"], Directory.GetFileSystemEntries(Target).Select(Path.GetFileName));
        Assert.Equal("an old invalid copy", File.ReadAllText(Path.Combine(Target, "t10k-labels-idx1-ubyte.gz")));
    }

    [Fact]
    public async Task An_invalid_file_already_there_is_replaced()
    {
        Directory.CreateDirectory(Target);
        File.WriteAllText(Path.Combine(Target, "t10k-labels-idx1-ubyte.gz"), "not gzip");
        await using var server = LoopbackServer.ServingFiles(SampleFiles.Bytes);
        using var downloader = new FileDownloader();

        var summary = await downloader.DownloadAsync(server.BaseUrl, SampleFiles.Gunzipped(), Target);

        Assert.Contains("t10k-labels-idx1-ubyte.gz", summary.Downloaded);
        Assert.Equal(SampleFiles.Bytes["t10k-labels-idx1-ubyte.gz"], File.ReadAllBytes(Path.Combine(Target, "t10k-labels-idx1-ubyte.gz")));
    }

    [Fact]
    public async Task A_dropped_connection_is_a_clear_error_and_leaves_no_partial_file()
    {
        var body = SampleFiles.Bytes["train-images-idx3-ubyte.gz"];
        await using var server = new LoopbackServer(_ => new LoopbackResponse.Dropped(body[..(body.Length / 2)], body.Length));
        using var downloader = new FileDownloader();

        var error = await Assert.ThrowsAsync<DownloadException>(() =>
            downloader.DownloadAsync(server.BaseUrl, SampleFiles.Gunzipped().Where(f => f.Name == "train-images-idx3-ubyte.gz").ToArray(), Target));

        Assert.StartsWith($"could not download {server.BaseUrl}train-images-idx3-ubyte.gz: ", error.Message);
        Assert.EndsWith($"; nothing was changed in {Target}.", error.Message);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public async Task An_HTTP_error_names_the_status()
    {
        await using var server = LoopbackServer.ServingFiles(new Dictionary<string, byte[]>());
        using var downloader = new FileDownloader();

        var error = await Assert.ThrowsAsync<DownloadException>(() => downloader.DownloadAsync(server.BaseUrl, SampleFiles.Gunzipped(), Target));

        Assert.Contains("HTTP 404 (Not Found)", error.Message);
        Assert.StartsWith($"could not download {server.BaseUrl}", error.Message);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public async Task An_unreachable_host_is_the_offline_message()
    {
        var url = LoopbackServer.ClosedPortUrl();
        using var downloader = new FileDownloader();

        var error = await Assert.ThrowsAsync<DownloadException>(() => downloader.DownloadAsync(url, SampleFiles.Gunzipped(), Target));

        Assert.StartsWith($"could not download {url}", error.Message);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith($"nothing was changed in {Target}.", error.Message);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public async Task A_server_that_stops_sending_is_given_up_after_the_stall_timeout()
    {
        await using var server = new LoopbackServer(_ => new LoopbackResponse.Silent());
        using var downloader = new FileDownloader { StallTimeout = TimeSpan.FromMilliseconds(300) };

        var error = await Assert.ThrowsAsync<DownloadException>(() => downloader.DownloadAsync(server.BaseUrl, SampleFiles.Gunzipped(), Target));

        Assert.Contains("nothing received for 0.3 s", error.Message);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public async Task Cancellation_stops_the_download_and_leaves_nothing()
    {
        await using var server = LoopbackServer.ServingFiles(SampleFiles.Bytes);
        using var cancellation = new CancellationTokenSource();
        using var downloader = new FileDownloader();
        var progress = new RecordingProgress(_ => cancellation.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            downloader.DownloadAsync(server.BaseUrl, SampleFiles.Gunzipped(), Target, progress, cancellation.Token));

        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public async Task A_base_url_without_a_final_slash_keeps_its_last_segment()
    {
        await using var server = LoopbackServer.ServingFiles(SampleFiles.Bytes.ToDictionary(f => "mirror/" + f.Key, f => f.Value));
        using var downloader = new FileDownloader();

        await downloader.DownloadAsync(new Uri(server.BaseUrl, "mirror"), SampleFiles.Gunzipped(), Target);

        Assert.All(server.Requests, r => Assert.StartsWith("/mirror/", r));
    }

    /// <summary>Keeps every report (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
    private sealed class RecordingProgress(Action<DownloadProgress>? onReport = null) : IProgress<DownloadProgress>
    {
        private readonly List<DownloadProgress> _reports = [];

        public IReadOnlyList<DownloadProgress> Reports
        {
            get
            {
                lock (_reports)
                {
                    return _reports.ToArray();
                }
            }
        }

        public void Report(DownloadProgress value)
        {
            lock (_reports)
            {
                _reports.Add(value);
            }
            onReport?.Invoke(value);
        }
    }
}
