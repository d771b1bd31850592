using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests;

/// <summary>A real forward/backward/optimizer loop on LibTorch, as loaded through the build step.</summary>
public sealed class TrainingStepTests
{
    [Fact]
    public void A_small_conv_net_learns_a_separable_image_task()
    {
        TorchRuntime.EnsureLoaded();
        random.manual_seed(7);
        using var scope = NewDisposeScope();

        // 64 grey 8x8 images: class 0 is bright in the top half, class 1 in the bottom half, plus noise.
        var labels = arange(64, dtype: ScalarType.Int64) % 2;
        var rows = arange(8, dtype: ScalarType.Float32).reshape(1, 1, 8, 1);
        var top = (rows < 4).to_type(ScalarType.Float32);
        var images = where(labels.reshape(64, 1, 1, 1) == 0, top, 1 - top).expand(64, 1, 8, 8) + (0.3 * randn(64, 1, 8, 8));

        var model = nn.Sequential(
            ("conv", nn.Conv2d(1, 4, kernel_size: 3, padding: 1)),
            ("relu", nn.ReLU()),
            ("pool", nn.AdaptiveAvgPool2d(new long[] { 2, 2 })),
            ("flatten", nn.Flatten()),
            ("fc", nn.Linear(16, 2)));
        var optimizer = optim.Adam(model.parameters(), lr: 0.05);
        var lossFunction = nn.CrossEntropyLoss();

        var losses = new List<float>();
        for (int step = 0; step < 30; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = lossFunction.call(model.call(images), labels);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        Assert.All(losses, l => Assert.True(float.IsFinite(l)));
        Assert.True(losses[^1] < losses[0] * 0.5f, $"loss went from {losses[0]} to {losses[^1]}");
        Assert.True(model.parameters().All(p => p.grad is not null));
    }
}
