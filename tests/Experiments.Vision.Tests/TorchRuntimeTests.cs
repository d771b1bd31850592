using Experiments.Vision.Tests.Support;

namespace Experiments.Vision.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void EnsureLoaded_loads_libtorch_on_the_cpu_backend()
    {
        var info = TorchRuntime.EnsureLoaded();

        Assert.StartsWith("2.10.0", info.LibTorchVersion, StringComparison.Ordinal);
        Assert.StartsWith("0.107.0", info.TorchSharpVersion, StringComparison.Ordinal);
        Assert.Equal("cpu", info.Backend);
        Assert.Contains("LibTorch 2.10.0", info.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_binding_that_loads_is_the_build_outputs_copy_not_a_fallback_copy()
    {
        var info = TorchRuntime.EnsureLoaded();

        Assert.Equal(Path.Combine(PackagedLibTorchSharp.OutputNativeFolder, PackagedLibTorchSharp.FileName), info.NativeBindingPath);

        // TorchSharp's fallback (when the regular load fails) copies every native file into cpu/ next to TorchSharp.dll.
        Assert.False(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "cpu")));
    }
}
