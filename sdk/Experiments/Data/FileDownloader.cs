using System.Net;

namespace Experiments.Data;

/// <summary>
/// Downloads a list of files from one base URL into a folder, all or nothing: each missing (or invalid) file is
/// fetched to a temporary file in the target folder and checked against its SHA-256 and length; only when every file
/// has arrived intact are they renamed into place. A failure deletes the temporary files, so the folder is as it was
/// (files already there and valid are never touched, and are not fetched again).
/// </summary>
public sealed class FileDownloader : IDisposable
{
    private const int BufferSize = 1 << 16;

    private readonly HttpClient _client;
    private readonly bool _ownsClient;

    /// <summary>A downloader with its own HTTP client (connection timeout 30 s; no limit on a whole file, see <see cref="StallTimeout"/>).</summary>
    public FileDownloader()
        : this(new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) }) { Timeout = Timeout.InfiniteTimeSpan }, ownsClient: true)
    {
    }

    /// <summary>A downloader on the caller's HTTP client (not disposed with it).</summary>
    public FileDownloader(HttpClient client)
        : this(client, ownsClient: false)
    {
    }

    private FileDownloader(HttpClient client, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _ownsClient = ownsClient;
    }

    /// <summary>How long a response may send nothing before the download is given up (default 60 s). A large file on a slow line is fine as long as bytes keep coming.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Fetches <paramref name="files"/> from <paramref name="baseUrl"/> into <paramref name="folder"/>.</summary>
    /// <param name="baseUrl">The URL the file names are relative to (a missing final <c>/</c> is added).</param>
    /// <param name="files">The files, with their expected SHA-256 and length.</param>
    /// <param name="folder">The target folder, created if needed.</param>
    /// <param name="progress">Receives the bytes received per file as they arrive.</param>
    /// <param name="cancellationToken">Stops the download; the folder is left as it was.</param>
    /// <exception cref="DownloadException">A file could not be downloaded or is not the expected one; nothing was changed in the folder.</exception>
    public async Task<DownloadSummary> DownloadAsync(
        Uri baseUrl,
        IReadOnlyList<DownloadFile> files,
        string folder,
        IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        folder = Path.GetFullPath(folder);
        baseUrl = WithTrailingSlash(baseUrl);

        var present = files.Where(f => IsPresentAndValid(Path.Combine(folder, f.Name), f, cancellationToken)).Select(f => f.Name).ToList();
        var missing = files.Where(f => !present.Contains(f.Name)).ToList();
        if (missing.Count == 0)
        {
            return new DownloadSummary(folder, [], present);
        }

        bool createdFolder = !Directory.Exists(folder);
        Directory.CreateDirectory(folder);
        var fetched = new List<(DownloadFile File, string Temp)>();
        try
        {
            foreach (var file in missing)
            {
                // A hidden name in the target folder: on the same file system, so the final rename is atomic.
                string temp = Path.Combine(folder, $".{file.Name}.{Guid.NewGuid():N}.partial");
                fetched.Add((file, temp));
                var url = new Uri(baseUrl, file.Name);
                await FetchAsync(url, temp, file.Name, folder, progress, cancellationToken).ConfigureAwait(false);
                Verify(temp, file, url, folder, cancellationToken);
            }
            foreach (var (file, temp) in fetched)
            {
                File.Move(temp, Path.Combine(folder, file.Name), overwrite: true);
            }
        }
        catch
        {
            foreach (var (_, temp) in fetched)
            {
                File.Delete(temp);
            }
            if (createdFolder && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
            throw;
        }
        return new DownloadSummary(folder, missing.Select(f => f.Name).ToList(), present);
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private async Task FetchAsync(Uri url, string temp, string name, string folder, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            stall.CancelAfter(StallTimeout);
            using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Failed(url, $"the server answered HTTP {(int)response.StatusCode} ({Reason(response.StatusCode, response.ReasonPhrase)})", folder);
            }
            long? total = response.Content.Headers.ContentLength;
            await using var source = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
            await using var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            var buffer = new byte[BufferSize];
            long received = 0;
            progress?.Report(new DownloadProgress(name, 0, total));
            while (true)
            {
                stall.CancelAfter(StallTimeout);
                int read = await source.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                received += read;
                progress?.Report(new DownloadProgress(name, received, total));
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(url, $"nothing received for {StallTimeout.TotalSeconds:0.#} s", folder, ex);
        }
        catch (HttpRequestException ex)
        {
            throw Failed(url, ex.Message, folder, ex);
        }
        catch (IOException ex)
        {
            // Includes a connection closed before the announced length (HttpIOException) and a full disk.
            throw Failed(url, ex.Message, folder, ex);
        }
    }

    private static void Verify(string temp, DownloadFile file, Uri url, string folder, CancellationToken cancellationToken)
    {
        string what = file.Digest == DownloadDigest.GunzippedBytes ? "decompressed content" : "content";
        FileDigest actual;
        try
        {
            actual = FileDigest.Compute(temp, file.Digest, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            throw new DownloadException($"{file.Name} from {url} is not a valid gzip file ({ex.Message}); it was not saved and nothing was changed in {folder}.", ex);
        }
        if (!actual.Matches(file))
        {
            throw new DownloadException(
                $"{file.Name} from {url} is not the expected file: its {what} has SHA-256 {actual.Sha256} ({actual.Length:N0} bytes), "
                + $"expected {file.Sha256.ToLowerInvariant()} ({file.Length:N0} bytes). It was not saved and nothing was changed in {folder}.");
        }
    }

    private static bool IsPresentAndValid(string path, DownloadFile file, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        try
        {
            return FileDigest.Compute(path, file.Digest, cancellationToken).Matches(file);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            return false;   // not gzip: downloaded again, and replaced once the new copy is verified
        }
    }

    private static DownloadException Failed(Uri url, string reason, string folder, Exception? inner = null)
        => new($"could not download {url}: {reason}; nothing was changed in {folder}.", inner);

    private static string Reason(HttpStatusCode code, string? phrase) => string.IsNullOrEmpty(phrase) ? code.ToString() : phrase;

    private static Uri WithTrailingSlash(Uri url)
        => url.AbsolutePath.EndsWith('/') ? url : new UriBuilder(url) { Path = url.AbsolutePath + "/" }.Uri;
}
