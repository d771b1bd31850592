namespace Experiments.Vision;

/// <summary>What <see cref="TorchRuntime.EnsureLoaded"/> loaded.</summary>
/// <param name="TorchSharpVersion">The managed TorchSharp package version.</param>
/// <param name="LibTorchVersion">The LibTorch version TorchSharp was built for.</param>
/// <param name="CudaAvailable">Whether a CUDA device can be used.</param>
/// <param name="CudaDeviceCount">How many CUDA devices there are (0 without CUDA).</param>
/// <param name="NativeBindingPath">The file of the native binding that was loaded, where the system tells (Linux).</param>
public sealed record TorchRuntimeInfo(
    string TorchSharpVersion,
    string LibTorchVersion,
    bool CudaAvailable,
    int CudaDeviceCount,
    string? NativeBindingPath)
{
    /// <summary>
    /// Why LibTorch's oneDNN (MKL-DNN) kernels were switched off, or null when they are on: on a CPU that hides its cache
    /// topology they crash (see the Native runtime section of the README; <c>EXPERIMENTS_ONEDNN=on|off</c> overrides).
    /// </summary>
    public string? OneDnnDisabled { get; init; }

    /// <summary>"cuda" when a CUDA device is usable, else "cpu".</summary>
    public string Backend => CudaAvailable ? "cuda" : "cpu";

    public override string ToString() =>
        $"TorchSharp {TorchSharpVersion}, LibTorch {LibTorchVersion}, backend {Backend}"
        + (CudaAvailable ? $" ({CudaDeviceCount} device(s))" : string.Empty)
        + (NativeBindingPath is null ? string.Empty : $", binding {NativeBindingPath}")
        + (OneDnnDisabled is null ? string.Empty : $", oneDNN off: {OneDnnDisabled}");
}
