using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Experiments.Benchmarks.Peer;

/// <summary>What a Python with PyTorch says about itself (<c>peer_train.py --probe</c>).</summary>
/// <param name="Executable">The interpreter that answered.</param>
/// <param name="Python">Its version.</param>
/// <param name="Torch">torch.__version__.</param>
/// <param name="Torchvision">torchvision.__version__, or null when it is not installed (then no model can be built).</param>
/// <param name="Blas">The BLAS torch was built with (<c>BLAS_INFO</c> of <c>torch.__config__.show()</c>: mkl, openblas, generic …).</param>
/// <param name="OneDnn">oneDNN (MKL-DNN) version of the build, "off" when torch.backends.mkldnn is unavailable, null when the build says nothing.</param>
/// <param name="Isa">The CPU kernels' instruction set (torch.backends.cpu.get_cpu_capability, or "CPU capability usage" of the build).</param>
/// <param name="Threads">torch.get_num_threads() at start.</param>
/// <param name="Cuda">torch.cuda.is_available().</param>
public sealed record PeerProbe(string Executable, string Python, string Torch, string? Torchvision, string? Blas, string? OneDnn, string? Isa, int Threads, bool Cuda)
{
    public const string Prefix = "PEER-PROBE ";

    /// <summary>One line for the report: interpreter, versions, BLAS, oneDNN, ISA.</summary>
    public string Describe() =>
        $"Python {Python} ({Executable}), torch {Torch}, torchvision {Torchvision ?? "not installed"}; BLAS {Blas ?? "?"}, oneDNN {OneDnn ?? "?"}, "
        + $"CPU kernels {Isa ?? "?"}{(Cuda ? ", CUDA available" : "")}";

    /// <summary>The probe's answer in a script's output (the line that starts with <see cref="Prefix"/>), or null when there is none.</summary>
    /// <exception cref="FormatException">The probe line is not the JSON object the script writes.</exception>
    public static PeerProbe? Parse(string output)
    {
        var line = output.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }
        try
        {
            using var json = JsonDocument.Parse(line[Prefix.Length..]);
            var root = json.RootElement;
            string config = Text(root, "config") ?? "";
            string? isa = Text(root, "cpu_capability") ?? Match(config, @"CPU capability usage:\s*(\S+)");
            string? oneDnn = root.TryGetProperty("mkldnn", out var mkldnn) && mkldnn.ValueKind == JsonValueKind.False
                ? "off"
                : Match(config, @"(?:MKL-DNN|oneDNN)\s+v?([0-9][0-9.]*)");
            return new PeerProbe(
                Text(root, "executable") ?? "?",
                Text(root, "python") ?? "?",
                Text(root, "torch") ?? throw new FormatException("The probe has no torch version."),
                Text(root, "torchvision"),
                Match(config, @"BLAS_INFO=([^,\s]+)"),
                oneDnn,
                isa,
                root.TryGetProperty("threads", out var threads) && threads.TryGetInt32(out int t) ? t : 0,
                root.TryGetProperty("cuda", out var cuda) && cuda.ValueKind == JsonValueKind.True);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The probe line is not valid JSON: {e.Message}", e);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Match(string text, string pattern) =>
        Regex.Match(text, pattern) is { Success: true } m ? m.Groups[1].Value : null;
}

/// <summary>Finds a Python that imports torch, to run the peer script with.</summary>
public static class PeerPython
{
    /// <summary>The script, copied next to the benchmark's assembly.</summary>
    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "Peer", "peer_train.py");

    /// <summary>
    /// Interpreters to try, in order: the one given (<c>--python</c>) alone when given; else <c>/usr/bin/python3</c>
    /// (Debian's, where <c>apt-get install python3-torch</c> puts torch) and every <c>python3</c> on PATH, once each.
    /// </summary>
    public static IReadOnlyList<string> Candidates(string? explicitPath, string? pathVariable, Func<string, bool> exists)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return [explicitPath];
        }
        var candidates = new List<string> { "/usr/bin/python3" };
        foreach (var folder in (pathVariable ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            candidates.Add(Path.Combine(folder, "python3"));
        }
        return [.. candidates.Where(exists).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The first candidate whose probe answers, with what each tried one said; null when none has torch.</summary>
    public static (PeerProbe? Probe, IReadOnlyList<string> Tried) Find(string? explicitPath)
    {
        var tried = new List<string>();
        foreach (var python in Candidates(explicitPath, Environment.GetEnvironmentVariable("PATH"), File.Exists))
        {
            var (exit, output, errors) = RunProbe(python);
            var probe = exit == 0 ? PeerProbe.Parse(output) : null;
            if (probe is not null)
            {
                return (probe, tried);
            }
            tried.Add($"{python}: {LastLine(errors) ?? $"exit {exit}"}");
        }
        if (tried.Count == 0)
        {
            tried.Add(explicitPath is null ? "no python3 at /usr/bin/python3 or on PATH" : $"{explicitPath}: not found");
        }
        return (null, tried);
    }

    /// <summary>How to get a Python with torch, for the report when none was found.</summary>
    public const string InstallHint =
        "Install one (Debian/Ubuntu: `apt-get install python3-torch python3-torchvision`, a CPU build with generic BLAS; "
        + "or `pip install torch torchvision` in a virtual environment) and pass `--python PATH` if it is not /usr/bin/python3 or python3 on PATH.";

    private static (int Exit, string Output, string Errors) RunProbe(string python)
    {
        try
        {
            var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(ScriptPath);
            info.ArgumentList.Add("--probe");
            using var process = Process.Start(info)!;
            var errors = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
            {
                process.Kill(entireProcessTree: true);
                return (-1, output, "the probe did not answer within a minute");
            }
            return (process.ExitCode, output, errors.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", e.Message);
        }
    }

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
}
