using System.Reflection;
using TorchSharp;

namespace Experiments.Vision;

/// <summary>Loads TorchSharp's native runtime once and describes it.</summary>
public static class TorchRuntime
{
    /// <summary>Where loading problems are explained (shipped with this package as README.md).</summary>
    public const string DocsReference = "Experiments.Vision README, section \"Native runtime\"";

    private static readonly Lazy<TorchRuntimeInfo> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Loads LibTorch and TorchSharp's native binding (if not yet loaded) and returns what was loaded.
    /// </summary>
    /// <exception cref="TorchRuntimeException">The native runtime could not be loaded; the message says why and what to do.</exception>
    public static TorchRuntimeInfo EnsureLoaded() => Loaded.Value;

    private static TorchRuntimeInfo Load()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            bool cuda = torch.cuda.is_available();
            return new TorchRuntimeInfo(
                TorchSharpVersion: InformationalVersion(typeof(torch).Assembly),
                LibTorchVersion: torch.__version__,
                CudaAvailable: cuda,
                CudaDeviceCount: cuda ? torch.cuda.device_count() : 0,
                NativeBindingPath: NativeLibraries.FindLoaded("LibTorchSharp"))
            {
                OneDnnDisabled = OneDnnGuard.Apply(),
            };
        }
        catch (Exception ex) when (ex is TypeInitializationException or NotSupportedException or DllNotFoundException
                                       or EntryPointNotFoundException or BadImageFormatException or InvalidOperationException)
        {
            throw new TorchRuntimeException(Explain(ex), ex);
        }
    }

    private static string Explain(Exception ex)
    {
        var root = ex;
        while (root is TypeInitializationException { InnerException: { } inner })
        {
            root = inner;
        }

        string hint = OperatingSystem.IsLinux()
            ? "On Debian 12 / Ubuntu 22.04 (libstdc++ older than GCC 13) the Experiments SDK's build step makes the binding load: "
              + "check that the project imports the Experiments SDK (or Experiments.TorchSharp.targets), that the build printed no EXPTORCH error, "
              + "and that the application runs from its build or publish output."
            : "Check that the project references the LibTorch package for this platform (ExperimentsTorchBackend).";
        return $"TorchSharp's native runtime (LibTorch and libLibTorchSharp) could not be loaded: {root.GetType().Name}: {FirstLine(root.Message)} "
            + $"{hint} See {DocsReference}.";
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOf('\n');
        return (end < 0 ? message : message[..end]).Trim();
    }

    private static string InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}
