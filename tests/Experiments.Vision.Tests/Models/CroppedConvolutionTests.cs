using Experiments.Vision.Models;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Models;

/// <summary>
/// <see cref="Layers.ConvolveCropped"/> against the module's own call: on maps smaller than the kernel's reach the cropped
/// kernel must give the same output and the same gradients (the cropped-away taps' weight gradients zero, as in the full
/// convolution, where they only meet padding).
/// </summary>
public sealed class CroppedConvolutionTests
{
    [Theory]
    [InlineData(8, 8, 3, 1, 1)] // depthwise 7×7 (ConvNeXt) on 1×1
    [InlineData(8, 8, 3, 2, 2)] // … on 2×2: a 3×3 part
    [InlineData(8, 8, 3, 3, 2)] // … on 3×2: 5×3
    [InlineData(8, 8, 3, 5, 5)] // … on 5×5: the full kernel
    [InlineData(6, 1, 1, 1, 1)] // dense 3×3 (ResNet) on 1×1
    [InlineData(6, 1, 1, 2, 2)] // … on 2×2: the full kernel
    [InlineData(6, 2, 1, 1, 1)] // grouped 3×3 on 1×1
    public void Gives_the_full_convolutions_output_and_gradients(long channels, long groups, long reach, long height, long width)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        random.manual_seed(5);
        using var conv = nn.Conv2d(channels, channels, (2 * reach) + 1, padding: reach, groups: groups, bias: true);
        var input = randn(3, channels, height, width).requires_grad_(true);
        var gradient = randn(3, channels, height, width);

        var expected = conv.call(input);
        var expectedGrads = autograd.grad([expected], [input, conv.weight, conv.bias!], [gradient]);
        var actual = Layers.ConvolveCropped(conv, input, reach);
        var actualGrads = autograd.grad([actual], [input, conv.weight, conv.bias!], [gradient]);

        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6), "output");
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(expectedGrads[i].shape, actualGrads[i].shape);
            Assert.True(actualGrads[i].allclose(expectedGrads[i], rtol: 1e-5, atol: 1e-6), $"gradient {i}");
        }
    }
}
