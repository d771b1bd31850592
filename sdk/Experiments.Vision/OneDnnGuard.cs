using System.Runtime.InteropServices;

namespace Experiments.Vision;

/// <summary>
/// Keeps LibTorch off oneDNN (MKL-DNN) on CPUs that report no cache topology, where oneDNN's convolution blocking divides
/// by the cache description and the process dies with SIGFPE (seen on virtual machines whose CPU hides cpuid leaf
/// 0x8000001D / 4: Linux then has no <c>/sys/devices/system/cpu/cpu0/cache</c>; <c>convnext_pico</c> in eval mode at
/// 32 px crashes every time). LibTorch's own convolutions take over — slower, but they run. Elsewhere nothing changes.
/// </summary>
/// <remarks>
/// TorchSharp has no switch for this, so the guard calls LibTorch's <c>at::globalContext().setUserEnabledMkldnn(false)</c>
/// (what PyTorch's <c>torch.backends.mkldnn.enabled = False</c> does) through its exported C++ symbols; a LibTorch that
/// lacks them is left alone. <c>EXPERIMENTS_ONEDNN=on</c> or <c>off</c> overrides the detection.
/// </remarks>
internal static partial class OneDnnGuard
{
    public const string Variable = "EXPERIMENTS_ONEDNN";

    private const string CacheTopology = "/sys/devices/system/cpu/cpu0/cache";

    /// <summary>Disables oneDNN when the CPU hides its caches (or the variable says off); returns why, or null when it stays on.</summary>
    public static string? Apply()
    {
        var setting = Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant();
        string? reason = setting switch
        {
            "off" => $"{Variable}=off",
            "on" => null,
            _ when OperatingSystem.IsLinux() && !Directory.Exists(CacheTopology) => $"the CPU reports no cache topology ({CacheTopology} is missing)",
            _ => null,
        };
        if (reason is null)
        {
            return null;
        }
        try
        {
            SetUserEnabledMkldnn(GlobalContext(), false);
            return reason;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("torch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static partial void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
}
