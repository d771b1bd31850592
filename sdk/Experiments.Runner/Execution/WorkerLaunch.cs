using System.Diagnostics;

namespace Experiments.Running.Execution;

/// <summary>How to start a worker: this same program again, with the hidden <c>worker</c> command.</summary>
internal sealed record WorkerLaunch(string FileName, IReadOnlyList<string> Arguments)
{
    public const string WorkerCommand = "worker";

    /// <summary>The OpenMP variable that says whether idle threads spin or sleep.</summary>
    public const string OpenMpWaitPolicy = "OMP_WAIT_POLICY";

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
        // OpenMP threads (libtorch's) spin while they wait by default. With several workers, or anything else on the
        // machine, spinning threads steal the cores the others compute on: a CPU trial measured 76.6 s instead of
        // 8.7 s next to one other busy process. Passive waiting costs little alone; the user's own setting wins.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OpenMpWaitPolicy)))
        {
            info.Environment[OpenMpWaitPolicy] = "PASSIVE";
        }
        return info;
    }
}
