using Experiments.Vision.Tests.Support;

namespace Experiments.Vision.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void OneDnn_is_switched_off_exactly_where_the_cpu_hides_its_cache_topology()
    {
        var info = TorchRuntime.EnsureLoaded();
        bool hidden = OperatingSystem.IsLinux() && !Directory.Exists("/sys/devices/system/cpu/cpu0/cache");

        if (Environment.GetEnvironmentVariable("EXPERIMENTS_ONEDNN") is null)
        {
            Assert.Equal(hidden, info.OneDnnDisabled is not null);
        }
        if (info.OneDnnDisabled is not null)
        {
            Assert.Contains("oneDNN off", info.ToString());
            // What crashed the process with oneDNN on such a CPU (SIGFPE in its 1x1 convolution blocking).
            using var model = Experiments.Vision.Models.ModelCatalog.CreateReference("convnext_pico", numClasses: 7);
            model.eval();
            using var _ = TorchSharp.torch.no_grad();
            Assert.Equal(new long[] { 2, 7 }, model.call(TorchSharp.torch.randn(2, 3, 32, 32)).shape);
        }
    }

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
