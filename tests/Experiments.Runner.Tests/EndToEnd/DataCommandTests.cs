using System.Text;
using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.EndToEnd;

/// <summary>
/// <c>data list</c> / <c>data fetch</c> in the fixture app, whose data set source (FixtureDataSource) the runner finds
/// by its assembly attribute. EXPERIMENTS_DATA points into the workspace, so nothing outside it is read or written.
/// </summary>
public sealed class DataCommandTests : IDisposable
{
    private const string Content = "fixture data\n";   // FixtureDataSource.Content

    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private string DataRoot => Path.Combine(_workspace.Directory, "data");

    [Fact]
    public async Task Fetch_downloads_from_a_mirror_and_the_data_set_then_resolves()
    {
        await using var server = LoopbackServer.ServingFiles(new Dictionary<string, byte[]> { ["greeting.txt"] = Encoding.UTF8.GetBytes(Content) });

        var before = await RunAsync("data", "list");
        var fetch = await RunAsync("data", "fetch", "fixture-data", "--from", server.BaseUrl.ToString());
        var after = await RunAsync("data", "list");

        string folder = Path.Combine(DataRoot, "fixture-data");
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Contains("fixture-data: one small text file", before.StandardOutput);
        Assert.Contains("not found", before.StandardOutput);
        Assert.True(fetch.ExitCode == 0, fetch.ToString());
        Assert.Equal(Content, File.ReadAllText(Path.Combine(folder, "greeting.txt")));
        Assert.Contains($"into {folder}", fetch.StandardOutput);
        Assert.Contains($"fixture-data now resolves: experiments read it from {folder}.", fetch.StandardOutput);
        Assert.Contains($"found in {folder}", after.StandardOutput);
    }

    [Fact]
    public async Task Fetch_to_a_folder_says_that_experiments_do_not_look_there()
    {
        await using var server = LoopbackServer.ServingFiles(new Dictionary<string, byte[]> { ["greeting.txt"] = Encoding.UTF8.GetBytes(Content) });
        string elsewhere = Path.Combine(_workspace.Directory, "elsewhere");

        var fetch = await RunAsync("data", "fetch", "fixture-data", "--from", server.BaseUrl.ToString(), "--to", elsewhere);

        Assert.True(fetch.ExitCode == 0, fetch.ToString());
        Assert.True(File.Exists(Path.Combine(elsewhere, "greeting.txt")));
        Assert.Contains($"experiments do not look in {elsewhere}", fetch.StandardOutput);
    }

    [Fact]
    public async Task An_unknown_name_lists_the_known_ones_and_exits_2()
    {
        var fetch = await RunAsync("data", "fetch", "imagenet");

        Assert.Equal(2, fetch.ExitCode);
        Assert.Contains("unknown data set 'imagenet'; known: fixture-data.", fetch.StandardError);
    }

    [Fact]
    public async Task A_download_that_fails_is_an_error_and_changes_nothing()
    {
        var url = LoopbackServer.ClosedPortUrl();

        var fetch = await RunAsync("data", "fetch", "fixture-data", "--from", url.ToString());

        Assert.Equal(1, fetch.ExitCode);
        Assert.Contains($"could not download {url}greeting.txt", fetch.StandardError);
        Assert.False(Directory.Exists(Path.Combine(DataRoot, "fixture-data")));
    }

    [Fact]
    public async Task A_from_that_is_not_a_URL_is_a_usage_error()
    {
        var fetch = await RunAsync("data", "fetch", "fixture-data", "--from", "not a url");

        Assert.Equal(2, fetch.ExitCode);
        Assert.Contains("--from 'not a url' is not an http:// or https:// URL", fetch.StandardError);
    }

    private async Task<RunResult> RunAsync(params string[] args)
    {
        using var process = FixtureApp.Start(_workspace.Directory, new Dictionary<string, string> { ["EXPERIMENTS_DATA"] = DataRoot }, args);
        return await process.WaitAsync();
    }
}
