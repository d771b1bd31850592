using System.Runtime.InteropServices;

namespace Experiments.Vision;

/// <summary>
/// Switches LibTorch's oneDNN (MKL-DNN) kernels off when <c>EXPERIMENTS_ONEDNN=off</c>. On CPUs that report no cache
/// topology (virtual machines whose CPU hides cpuid leaf 0x8000001D / 4: Linux then has no
/// <c>/sys/devices/system/cpu/cpu0/cache</c>) oneDNN's convolution blocking divides by the cache description for some
/// shapes and the process dies with SIGFPE (<c>convnext_pico</c> in eval mode at 32 px every time, the quick profile's
/// models never). oneDNN stays on by default even there — LibTorch's own convolutions take 2–5 × as long — and a crash
/// names the switch; <see cref="CacheTopologyHidden"/> tells whether this CPU is one of those.
/// </summary>
/// <remarks>
/// TorchSharp has no switch for this, so the guard calls LibTorch's <c>at::globalContext().setUserEnabledMkldnn(false)</c>
/// (what PyTorch's <c>torch.backends.mkldnn.enabled = False</c> does) through its exported C++ symbols; a LibTorch that
/// lacks them is left alone.
/// </remarks>
internal static partial class OneDnnGuard
{
    public const string Variable = "EXPERIMENTS_ONEDNN";

    private const string CacheTopology = "/sys/devices/system/cpu/cpu0/cache";

    /// <summary>Whether this CPU hides its cache topology (Linux: no <c>/sys/devices/system/cpu/cpu0/cache</c>).</summary>
    public static bool CacheTopologyHidden => OperatingSystem.IsLinux() && !Directory.Exists(CacheTopology);

    /// <summary>Disables oneDNN when the variable says off; returns why, or null when it stays on.</summary>
    public static string? Apply()
    {
        var setting = Environment.GetEnvironmentVariable(Variable)?.Trim();
        if (!string.Equals(setting, "off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        string reason = $"{Variable}=off" + (CacheTopologyHidden ? $" (the CPU reports no cache topology: {CacheTopology} is missing)" : string.Empty);
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
