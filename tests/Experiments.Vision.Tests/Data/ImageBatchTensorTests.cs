using Experiments.Vision.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Data;

public sealed class ImageBatchTensorTests
{
    [Fact]
    public void Images_become_float_NCHW_in_0_to_1_and_single_labels_int64_classes()
    {
        TorchRuntime.EnsureLoaded();
        var dataset = FashionMnistDataset.OpenSample(DatasetPart.Test);
        var batch = new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = 16 }).Batches().First();
        using var scope = NewDisposeScope();

        var (images, targets) = batch.ToTensors();

        Assert.Equal([16L, 1, 28, 28], images.shape);
        Assert.Equal(ScalarType.Float32, images.dtype);
        Assert.Equal(dataset.Get(5).Image[14, 9, 0] / 255f, images[5, 0, 14, 9].item<float>(), 6);
        Assert.InRange(images.min().item<float>(), 0f, 0f);
        Assert.InRange(images.max().item<float>(), 0.9f, 1f);
        Assert.Equal([16L], targets.shape);
        Assert.Equal(ScalarType.Int64, targets.dtype);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (long)dataset.GetLabels(i)[0]), targets.data<long>().ToArray());
    }

    [Fact]
    public void Multi_labels_become_multi_hot_float_targets()
    {
        TorchRuntime.EnsureLoaded();
        var dataset = new ShapesDataset(12, imageSize: 16, seed: 4, multiLabel: true);
        var batch = new ImageDataLoader(dataset, new DataLoaderOptions { BatchSize = 12 }).Batches().Single();
        using var scope = NewDisposeScope();

        var targets = batch.TargetsToTensor();

        Assert.Equal([12L, 3], targets.shape);
        Assert.Equal(ScalarType.Float32, targets.dtype);
        for (int n = 0; n < 12; n++)
        {
            var expected = Enumerable.Range(0, 3).Select(k => dataset.GetLabels(n).Contains(k) ? 1f : 0f);
            Assert.Equal(expected, targets[n].data<float>().ToArray());
        }
        Assert.Equal([12L, 3, 16, 16], batch.ImagesToTensor().shape);
    }

    [Fact]
    public void The_tensors_belong_to_the_callers_dispose_scope_and_nothing_else_is_left()
    {
        TorchRuntime.EnsureLoaded();
        var batch = new ImageDataLoader(new ShapesDataset(4, imageSize: 8), new DataLoaderOptions { BatchSize = 4 }).Batches().Single();
        Tensor images;
        Tensor targets;

        using (var scope = NewDisposeScope())
        {
            images = batch.ImagesToTensor();
            targets = batch.TargetsToTensor();
            Assert.Equal(2, scope.DisposablesCount);   // the byte tensor and other intermediates were disposed already
        }

        Assert.True(images.IsInvalid);
        Assert.True(targets.IsInvalid);
    }
}
