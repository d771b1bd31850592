namespace Experiments.Vision.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void OneDnn_is_switched_off_exactly_when_the_variable_says_off()
    {
        var info = TorchRuntime.EnsureLoaded();

        // This test process sets EXPERIMENTS_ONEDNN=off on CPUs that hide their cache topology (Support/OneDnnOffWhereItCrashes).
        bool off = string.Equals(Environment.GetEnvironmentVariable(OneDnnGuard.Variable), "off", StringComparison.OrdinalIgnoreCase);
        Assert.Equal(off, info.OneDnnDisabled is not null);
        if (info.OneDnnDisabled is not null)
        {
            Assert.Contains("oneDNN off: EXPERIMENTS_ONEDNN=off", info.ToString());
            // What crashes the process with oneDNN on such a CPU (SIGFPE in its convolution blocking).
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

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"), info.NativeBindingPath);

        // TorchSharp's fallback (when the regular load fails) copies every native file into cpu/ next to TorchSharp.dll.
        Assert.False(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "cpu")));
    }
}
