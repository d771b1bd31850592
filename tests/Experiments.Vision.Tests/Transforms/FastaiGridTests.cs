using Experiments.Vision.Transforms;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Experiments.Vision.Tests.Transforms;

/// <summary>
/// The fused grid against fastai's own sequence, transcribed from <c>fastai/vision/augment.py</c> with tensors:
/// flip_mat @ rotate_mat @ zoom_mat → _prepare_mat → affine_grid → apply_perspective(find_coeffs(orig, targ))
/// → grid_sample(bilinear, reflection, align_corners=True).
/// </summary>
public sealed class FastaiGridTests
{
    public FastaiGridTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void Fused_transform_equals_fastais_affine_grid_then_perspective()
    {
        using var scope = NewDisposeScope();
        var images = rand(6, 3, 13, 19, generator: new Generator(11));
        var draws = new BatchAugmentation(AugmentationOptions.Default with { AffineProbability = 1, MaxLighting = 0 }, seed: 12).Draw(6);
        draws[0] = draws[0] with { Dihedral = 1 };
        draws[1] = draws[1] with { Dihedral = 0 };

        var ours = new BatchAugmentation(AugmentationOptions.Default with { MaxLighting = 0 }, seed: 0).Apply(images, draws);
        var fastai = FastaiAffineCoord(images, draws);

        double difference = (ours - fastai).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"max difference {difference}");
    }

    [Fact]
    public void Dihedral_draws_flip_and_transpose()
    {
        using var scope = NewDisposeScope();
        var images = rand(3, 2, 9, 9, generator: new Generator(13));
        var augmentation = new BatchAugmentation(AugmentationOptions.None with { Flip = true, FlipVertical = true }, seed: 14);

        var output = augmentation.Apply(images, [new() { Dihedral = 2 }, new() { Dihedral = 4 }, new() { Dihedral = 6 }]);

        Assert.True(output[0].allclose(images[0].flip(1), rtol: 0, atol: 1e-5));
        Assert.True(output[1].allclose(images[1].flip(1, 2), rtol: 0, atol: 1e-5));
        Assert.True(output[2].allclose(images[2].transpose(1, 2), rtol: 0, atol: 1e-5));
        Assert.All(augmentation.Draw(200), d => Assert.InRange(d.Dihedral, 0, 7));
    }

    private static Tensor FastaiAffineCoord(Tensor x, IReadOnlyList<AugmentationDraw> draws)
    {
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        Tensor Column(Func<AugmentationDraw, double> value) => tensor(draws.Select(value).ToArray(), ScalarType.Float32);
        Tensor AffineMat(Tensor[] entries) =>   // fastai's affine_mat: 2×3 entries → N×3×3 with a last row (0, 0, 1)
            cat([stack(entries, 1).view(n, 2, 3), tensor(new float[] { 0, 0, 1 }).expand(n, 1, 3)], 1);

        var flip = Column(d => d.Dihedral == 1 ? -1 : 1);
        var zero = zeros(n);
        var one = ones(n);
        var theta = Column(d => d.RotationDegrees) * Math.PI / 180;
        var s = 1 / Column(d => d.Zoom);
        var colC = (1 - s) * ((2 * Column(d => d.ZoomCenterX)) - 1);
        var rowC = (1 - s) * ((2 * Column(d => d.ZoomCenterY)) - 1);

        var mat = AffineMat([flip, zero, zero, zero, one, zero])
            .matmul(AffineMat([theta.cos(), theta.sin(), zero, -theta.sin(), theta.cos(), zero]))
            .matmul(AffineMat([s, zero, colC, zero, s, rowC]));
        mat[TensorIndex.Colon, 0, 1] *= (double)h / w;
        mat[TensorIndex.Colon, 1, 0] *= (double)w / h;
        var coords = F.affine_grid(mat[TensorIndex.Colon, TensorIndex.Slice(0, 2)], [n, x.shape[1], h, w], align_corners: true);

        // _WarpCoord
        var xt = Column(d => d.WarpX);
        var yt = Column(d => d.WarpY);
        var orig = tensor(new float[] { -1, -1, -1, 1, 1, -1, 1, 1 }).view(1, 4, 2).expand(n, 4, 2);
        var targ = stack([stack([-1 - yt, -1 - xt]), stack([-1 + yt, 1 + xt]), stack([1 + yt, -1 + xt]), stack([1 - yt, 1 - xt])]).permute(2, 0, 1);
        var coeffs = FindCoeffs(orig, targ);
        coords = ApplyPerspective(coords, coeffs);

        return F.grid_sample(x, coords, GridSampleMode.Bilinear, GridSamplePaddingMode.Reflection, align_corners: true);
    }

    private static Tensor FindCoeffs(Tensor p1, Tensor p2)
    {
        var rows = new List<Tensor>();
        var p = p1[TensorIndex.Colon, 0, 0];
        Tensor T0() => zeros_like(p);
        Tensor T1() => ones_like(p);
        for (int i = 0; i < p1.shape[1]; i++)
        {
            Tensor P1(int j) => p1[TensorIndex.Colon, i, j];
            Tensor P2(int j) => p2[TensorIndex.Colon, i, j];
            rows.Add(stack([P2(0), P2(1), T1(), T0(), T0(), T0(), -P1(0) * P2(0), -P1(0) * P2(1)]));
            rows.Add(stack([T0(), T0(), T0(), P2(0), P2(1), T1(), -P1(1) * P2(0), -P1(1) * P2(1)]));
        }

        var a = stack(rows).permute(2, 0, 1);
        var b = p1.reshape(p1.shape[0], 8, 1);
        return linalg.solve(a, b);
    }

    private static Tensor ApplyPerspective(Tensor coords, Tensor coeffs)
    {
        var size = coords.shape;
        coords = coords.view(size[0], -1, 2);
        coeffs = cat([coeffs, ones_like(coeffs[TensorIndex.Colon, TensorIndex.Slice(0, 1)])], 1).view(coeffs.shape[0], 3, 3);
        var coords1 = coords.matmul(coeffs[TensorIndex.Ellipsis, TensorIndex.Slice(0, 2)].transpose(1, 2))
            + coeffs[TensorIndex.Ellipsis, 2].unsqueeze(1);
        coords = coords1 / coords1[TensorIndex.Ellipsis, 2].unsqueeze(-1);
        return coords[TensorIndex.Ellipsis, TensorIndex.Slice(0, 2)].reshape(size);
    }
}
