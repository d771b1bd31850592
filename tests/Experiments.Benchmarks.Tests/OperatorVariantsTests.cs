using Experiments.Benchmarks.Sections;
using Experiments.Vision;
using static TorchSharp.torch;

namespace Experiments.Benchmarks.Tests;

public class OperatorVariantsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_channel_wise_layer_norm_gives_the_permuted_ones_values_and_gradients(bool channelsLast)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        var x = Layout.Input(randn(4, 6, 5, 3) * 3 + 1, bf16: false, channelsLast).detach().requires_grad_(true);
        var weight = randn(6).requires_grad_(true);
        var bias = randn(6).requires_grad_(true);
        var gradient = randn(4, 6, 5, 3);

        var permuted = OperatorVariants.Permuted(x, weight, bias);
        var (gx, gw, gb) = Gradients(permuted);
        var channelWise = OperatorVariants.ChannelWise(x, weight, bias);
        var (cx, cw, cb) = Gradients(channelWise);

        Assert.True(permuted.allclose(channelWise, rtol: 1e-5, atol: 1e-5));
        Assert.True(gx.allclose(cx, rtol: 1e-4, atol: 1e-5));
        Assert.True(gw.allclose(cw, rtol: 1e-4, atol: 1e-5));
        Assert.True(gb.allclose(cb, rtol: 1e-4, atol: 1e-5));

        (Tensor, Tensor, Tensor) Gradients(Tensor output)
        {
            var grads = autograd.grad([output], [x, weight, bias], [gradient]);
            return (grads[0], grads[1], grads[2]);
        }
    }
}
