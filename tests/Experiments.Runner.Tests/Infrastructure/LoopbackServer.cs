using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Experiments.Runner.Tests.Infrastructure;

/// <summary>What <see cref="LoopbackServer"/> sends for a path.</summary>
internal abstract record LoopbackResponse
{
    /// <summary>200 with the body.</summary>
    public sealed record Ok(byte[] Body) : LoopbackResponse;

    /// <summary>A status without a body (404, 500 …).</summary>
    public sealed record Status(int Code, string Reason) : LoopbackResponse;

    /// <summary>200 announcing <paramref name="AnnouncedLength"/> bytes, then only <paramref name="Body"/> and the connection closes.</summary>
    public sealed record Dropped(byte[] Body, long AnnouncedLength) : LoopbackResponse;

    /// <summary>200 headers, then nothing (the connection stays open until the server stops).</summary>
    public sealed record Silent : LoopbackResponse;
}

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 and a free port (TcpListener, so it can misbehave on purpose): one request a
/// connection, answered from a path → response function. Never reaches beyond the loopback interface.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, LoopbackResponse> _respond;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<string> _requests = [];
    private readonly Task _accepting;

    public LoopbackServer(Func<string, LoopbackResponse> respond)
    {
        _respond = respond;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Serves <paramref name="files"/> by name at the root; anything else is a 404.</summary>
    public static LoopbackServer ServingFiles(IReadOnlyDictionary<string, byte[]> files)
        => new(path => files.TryGetValue(path.TrimStart('/'), out var body) ? new LoopbackResponse.Ok(body) : new LoopbackResponse.Status(404, "Not Found"));

    public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>The paths requested so far.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>A URL on the loopback interface where nothing listens: the port was free a moment ago and is closed now.</summary>
    public static Uri ClosedPortUrl()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            string path = await ReadRequestPathAsync(stream);
            lock (_requests)
            {
                _requests.Add(path);
            }
            switch (_respond(path))
            {
                case LoopbackResponse.Ok ok:
                    await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Length: {ok.Body.Length}\r\nConnection: close\r\n\r\n", ok.Body);
                    break;
                case LoopbackResponse.Status status:
                    await WriteAsync(stream, $"HTTP/1.1 {status.Code} {status.Reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", []);
                    break;
                case LoopbackResponse.Dropped dropped:
                    await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Length: {dropped.AnnouncedLength}\r\nConnection: close\r\n\r\n", dropped.Body);
                    break;
                case LoopbackResponse.Silent:
                    await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n", []);
                    await Task.Delay(Timeout.Infinite, _stopping.Token);
                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the server stops: nothing to answer.
        }
    }

    private static async Task<string> ReadRequestPathAsync(NetworkStream stream)
    {
        var header = new StringBuilder();
        var buffer = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer) == 0)
            {
                throw new IOException("the client closed the connection before the end of the request");
            }
            header.Append((char)buffer[0]);
        }
        // "GET /path HTTP/1.1"
        return header.ToString().Split(' ')[1];
    }

    private static async Task WriteAsync(NetworkStream stream, string head, byte[] body)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }
}
