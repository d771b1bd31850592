using System.Diagnostics;

namespace Experiments.Runner.Execution.Host;

/// <summary>How to start a worker: this same program again, with the hidden <c>worker</c> command.</summary>
/// <param name="FileName">The program to start.</param>
/// <param name="Arguments">Its arguments, ending with the worker command.</param>
/// <param name="ComputeThreads">
/// Threads each worker's numeric libraries (OpenMP, MKL) may use, when the user sets none: the cores shared out among
/// the workers, so that N workers do not start N × cores threads that fight over the cores. Null: their default.
/// </param>
internal sealed record WorkerLaunch(string FileName, IReadOnlyList<string> Arguments, int? ComputeThreads = null)
{
    public const string WorkerCommand = "worker";

    /// <summary>The OpenMP variable that says whether idle threads spin or sleep.</summary>
    public const string OpenMpWaitPolicy = "OMP_WAIT_POLICY";

    /// <summary>The variables that size OpenMP's and MKL's thread pools (libtorch reads both at start).</summary>
    public static readonly IReadOnlyList<string> ThreadCountVariables = ["OMP_NUM_THREADS", "MKL_NUM_THREADS"];

    /// <summary>This launch for <paramref name="workers"/> workers sharing the machine's cores (one worker: the libraries' default).</summary>
    public WorkerLaunch ForWorkers(int workers) =>
        this with { ComputeThreads = workers > 1 ? Math.Max(1, Environment.ProcessorCount / workers) : null };

    /// <summary>
    /// An apphost (<c>./MyExperiments</c>) starts itself; under the muxer (<c>dotnet MyExperiments.dll</c>,
    /// <c>dotnet run</c>) the worker is <c>dotnet exec MyExperiments.dll worker</c>.
    /// </summary>
    public static WorkerLaunch ForCurrentProcess(string? entryAssemblyPath)
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell which executable is running.");
        var name = Path.GetFileNameWithoutExtension(processPath);
        if (string.Equals(name, "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrEmpty(entryAssemblyPath))
            {
                throw new InvalidOperationException("Cannot start workers: the entry assembly has no file path.");
            }
            return new WorkerLaunch(processPath, ["exec", entryAssemblyPath, WorkerCommand]);
        }
        return new WorkerLaunch(processPath, [WorkerCommand]);
    }

    public ProcessStartInfo ToStartInfo()
    {
        var info = new ProcessStartInfo(FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
            StandardInputEncoding = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        foreach (var argument in Arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // OpenMP threads (libtorch's) spin while they wait by default. With several workers sharing the cores, spinning
        // threads steal the cores the others compute on (a CPU trial measured 76.6 s instead of 8.7 s next to another
        // busy process), so they wait passively then. One worker alone keeps the default: on an idle machine spinning
        // was faster (passive 0.80× in the benchmark's tuning table). The user's own setting always wins.
        if (ComputeThreads is not null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OpenMpWaitPolicy)))
        {
            info.Environment[OpenMpWaitPolicy] = "PASSIVE";
        }
        if (ComputeThreads is { } threads && ThreadCountVariables.All(v => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))))
        {
            foreach (var variable in ThreadCountVariables)
            {
                info.Environment[variable] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return info;
    }
}
