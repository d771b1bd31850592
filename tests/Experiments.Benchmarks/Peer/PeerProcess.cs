using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Experiments.Benchmarks.Sections;

namespace Experiments.Benchmarks.Peer;

/// <summary>A line of <c>peer_train.py --serve</c>: its kind (READY, ROUND, UNSUPPORTED, ERROR) and the rest.</summary>
public sealed record PeerLine(string Kind, string Payload)
{
    /// <summary>The protocol line in <paramref name="line"/> (<c>PEER-KIND payload</c>), or null for any other output.</summary>
    public static PeerLine? Parse(string line)
    {
        const string prefix = "PEER-";
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? new PeerLine(line[prefix.Length..], "") : new PeerLine(line[prefix.Length..space], line[(space + 1)..].Trim());
    }

    /// <summary>READY or COUNT: the model's parameter count and the count of those that get a gradient.</summary>
    public (long Parameters, long Trained) Ready()
    {
        using var json = JsonDocument.Parse(Payload);
        return (json.RootElement.GetProperty("parameters").GetInt64(), json.RootElement.GetProperty("trained_parameters").GetInt64());
    }

    /// <summary>ROUND: images, seconds of the training batches, the rest of the epoch (validation, metrics).</summary>
    public RoundResult Round()
    {
        using var json = JsonDocument.Parse(Payload);
        var root = json.RootElement;
        return new RoundResult(root.GetProperty("images").GetInt32(), root.GetProperty("seconds").GetDouble(), 0, 0,
            root.TryGetProperty("extra_seconds", out var extra) ? extra.GetDouble() : 0);
    }
}

/// <summary>The PyTorch side of one configuration: <c>peer_train.py --serve</c>, kept running, one round per command.</summary>
public sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private PeerProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
    }

    /// <summary>Parameters of the PyTorch model and those that get a gradient (from its READY line).</summary>
    public long Parameters { get; private set; }

    public long TrainedParameters { get; private set; }

    /// <summary>
    /// The PyTorch model's parameters that get a gradient (<c>peer_train.py --count</c>, no training), or null with the
    /// reason when torchvision cannot build it.
    /// </summary>
    public static (long? Trained, string? Unsupported) CountTrained(PeerProbe probe, ModelConfig config)
    {
        var info = new ProcessStartInfo(probe.Executable) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { PeerPython.ScriptPath, "--count", "--model", config.Model, "--size", Invariant(config.Size) })
        {
            info.ArgumentList.Add(argument);
        }
        using var peer = new PeerProcess(Process.Start(info)!);
        var line = peer.ReadLine();
        if (line.Kind == "UNSUPPORTED")
        {
            return (null, line.Payload);
        }
        peer.Expect(line, "COUNT");
        return (line.Ready().Trained, null);
    }

    /// <summary>
    /// Starts the script for <paramref name="config"/> and waits until it is ready; null (with the reason) when
    /// torchvision cannot build the model.
    /// </summary>
    public static (PeerProcess? Process, string? Unsupported) Start(PeerProbe probe, ModelConfig config, int batchSize, int steps, int threads,
        string device, bool channelsLast, bool oneDnnOff, string dataFolder)
    {
        var info = new ProcessStartInfo(probe.Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            PeerPython.ScriptPath, "--serve", "--model", config.Model, "--size", Invariant(config.Size), "--batch", Invariant(batchSize),
            "--steps", Invariant(steps), "--threads", Invariant(threads), "--device", device, "--data", dataFolder,
            .. channelsLast ? ["--channels-last"] : Array.Empty<string>(),
            .. oneDnnOff ? ["--no-onednn"] : Array.Empty<string>(),
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var peer = new PeerProcess(Process.Start(info)!);
        var line = peer.ReadLine();
        if (line.Kind == "UNSUPPORTED")
        {
            peer.Dispose();
            return (null, line.Payload);
        }
        peer.Expect(line, "READY");
        (peer.Parameters, peer.TrainedParameters) = line.Ready();
        return (peer, null);
    }

    /// <summary>One round: <c>pipeline</c> (DataLoader epoch) or <c>bare</c> (pre-made tensors).</summary>
    public RoundResult Run(string command)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        var line = ReadLine();
        Expect(line, "ROUND");
        return line.Round();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.WriteLine("quit");
                _process.StandardInput.Flush();
                if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
        }
        catch (IOException)
        {
            // It has gone already.
        }
        _process.Dispose();
    }

    private PeerLine ReadLine()
    {
        while (_process.StandardOutput.ReadLine() is { } text)
        {
            if (PeerLine.Parse(text) is { } line)
            {
                return line;
            }
        }
        _process.WaitForExit();
        throw Failure($"the PyTorch peer ended (exit {_process.ExitCode}) without answering");
    }

    private void Expect(PeerLine line, string kind)
    {
        if (line.Kind != kind)
        {
            throw Failure($"the PyTorch peer said {line.Kind} {line.Payload} instead of {kind}");
        }
    }

    private InvalidOperationException Failure(string what)
    {
        lock (_errors)
        {
            var tail = string.Join('\n', _errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(15));
            return new InvalidOperationException($"{what}. Its last errors:\n{tail}");
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
