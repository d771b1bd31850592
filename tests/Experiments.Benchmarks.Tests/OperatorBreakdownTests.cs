using Experiments.Benchmarks.Reporting;
using Experiments.Benchmarks.Sections;

namespace Experiments.Benchmarks.Tests;

public class OperatorBreakdownTests
{
    [Theory]
    [InlineData(40, 40, 40, 7, 7, "conv depthwise 7×7")]
    [InlineData(152, 152, 19, 3, 3, "conv grouped 3×3")]
    [InlineData(56, 152, 1, 1, 1, "conv 1×1")]
    [InlineData(3, 32, 1, 3, 3, "conv dense 3×3")]
    [InlineData(3, 40, 1, 4, 4, "conv dense 4×4")]
    public void Classifies_a_convolution_by_its_groups_and_kernel(long inChannels, long outChannels, long groups, long kh, long kw, string kind) =>
        Assert.Equal(kind, OperatorKinds.Classify("Conv2d", "ConvNormAct", new ConvShape(inChannels, outChannels, groups, kh, kw)));

    [Theory]
    [InlineData("BatchNorm2d", "ConvNormAct", OperatorKinds.BatchNorm)]
    [InlineData("BatchNorm1d", "Sequential", OperatorKinds.BatchNorm)]
    [InlineData("LayerNorm2d", "Block", OperatorKinds.LayerNorm)]
    [InlineData("Linear", "Sequential", OperatorKinds.Linear)]
    [InlineData("ReLU", "Sequential", OperatorKinds.Activation)]
    [InlineData("ConvNormAct", "Bottleneck", OperatorKinds.Activation)]
    [InlineData("Mlp", "Block", OperatorKinds.Activation)]
    [InlineData("MaxPool2d", "ResNet", OperatorKinds.Pooling)]
    [InlineData("AdaptiveConcatPool2d", "Sequential", OperatorKinds.Pooling)]
    [InlineData("SqueezeExcite", "Bottleneck", OperatorKinds.SqueezeExcite)]
    [InlineData("Bottleneck", "Stage", OperatorKinds.Glue)]
    public void Classifies_other_modules_by_type(string type, string parent, string kind) =>
        Assert.Equal(kind, OperatorKinds.Classify(type, parent, null));

    [Fact]
    public void A_convolution_inside_squeeze_excitation_counts_as_squeeze_excitation() =>
        Assert.Equal(OperatorKinds.SqueezeExcite, OperatorKinds.Classify("Conv2d", "SqueezeExcite", new ConvShape(152, 14, 1, 1, 1)));

    [Fact]
    public void A_convolution_without_its_shape_is_an_error() =>
        Assert.Throws<ArgumentException>(() => OperatorKinds.Classify("Conv2d", null, null));

    // A model whose body is called directly (not measured): its stem and block belong to the model itself.
    private static readonly ModuleTiming[] Tree =
    [
        new("", "VisionModel", OperatorKinds.Glue, 100, 200, 0, 0),
        new("body.stem", "ConvNormAct", OperatorKinds.Activation, 30, 50, 0, 0),
        new("body.stem.conv", "Conv2d", "conv dense 3×3", 20, 30, 2e9, 4e9, "64×3×32×32"),
        new("body.stem.bn", "BatchNorm2d", OperatorKinds.BatchNorm, 5, 15, 0, 0),
        new("body.block", "Bottleneck", OperatorKinds.Glue, 60, 140, 0, 0),
        new("body.block.conv1", "Conv2d", "conv 1×1", 50, 120, 1e9, 2e9),
        new("head.fc", "Linear", OperatorKinds.Linear, 4, 6, 1e8, 2e8),
    ];

    [Fact]
    public void Own_time_subtracts_the_nearest_measured_children_and_sums_to_the_root()
    {
        var self = OperatorBreakdown.SelfTimes(Tree).ToDictionary(s => s.Module.Path);

        Assert.Equal(100 - 30 - 60 - 4, self[""].ForwardMs);
        Assert.Equal(200 - 50 - 140 - 6, self[""].BackwardMs);
        Assert.Equal(30 - 20 - 5, self["body.stem"].ForwardMs);
        Assert.Equal(60 - 50, self["body.block"].ForwardMs);
        Assert.Equal(20, self["body.stem.conv"].ForwardMs);
        Assert.False(self["body.stem"].IsLeaf);
        Assert.True(self["body.stem.conv"].IsLeaf);
        Assert.True(self["head.fc"].IsLeaf);
        Assert.Equal(300, self.Values.Sum(s => s.TotalMs), 9);
    }

    [Fact]
    public void Kinds_sum_own_times_and_flops_slowest_first()
    {
        var rows = OperatorBreakdown.ByKind(OperatorBreakdown.SelfTimes(Tree));

        // Own totals: conv 1×1 170, conv 3×3 50, glue 40, BatchNorm 20, Linear 10, activation 10 (ties by name, ordinal).
        Assert.Equal(["conv 1×1", "conv dense 3×3", OperatorKinds.Glue, OperatorKinds.BatchNorm, OperatorKinds.Linear, OperatorKinds.Activation], rows.Select(r => r.Kind));
        var glue = rows.Single(r => r.Kind == OperatorKinds.Glue);
        Assert.Equal(2, glue.Modules);
        Assert.Equal(6 + 10, glue.ForwardMs);
        var conv = rows.Single(r => r.Kind == "conv dense 3×3");
        Assert.Equal(6e9, conv.Flops);
        Assert.Equal(6e9 / 0.05 / 1e9, conv.Gflops, 9);
        Assert.True(double.IsNaN(rows.Single(r => r.Kind == OperatorKinds.BatchNorm).Gflops));
    }

    [Fact]
    public void Top_leaves_are_the_slowest_modules_without_measured_children()
    {
        var top = OperatorBreakdown.TopLeaves(OperatorBreakdown.SelfTimes(Tree), 2);

        Assert.Equal(["body.block.conv1", "body.stem.conv"], top.Select(t => t.Module.Path));
    }

    [Theory]
    [InlineData("body.s1.b1.conv1.conv", "body.s1.b1.conv1")]
    [InlineData("head", "")]
    [InlineData("", null)]
    public void Parent_path_drops_the_last_name(string path, string? parent) =>
        Assert.Equal(parent, OperatorBreakdown.ParentPath(path));

    [Fact]
    public void The_kind_table_lists_each_kind_then_the_optimizer_rest_and_whole_step()
    {
        var measured = new OperatorsSection.Measured(false, ForwardMs: 120, BackwardMs: 230, OptimizerMs: 40, BatchSize: 64, Tree);
        var kinds = new ResultTable("operators", "t", "model", "px", "kind", "modules", "fwd ms", "bwd ms", "share of step", "GFLOP", "GFLOP/s", "% of matmul");
        var leaves = new ResultTable("operators-leaves", "t", "model", "px", "module", "kind", "input", "fwd ms", "bwd ms", "share of step", "GFLOP/s", "% of matmul");
        var steps = new ResultTable("operators-steps", "t", "model", "px", "layout", "fwd ms", "bwd ms", "optimizer ms", "step ms", "img/s", "hooked fwd / plain fwd", "isolated bwd / plain bwd");

        OperatorsSection.AddRows(measured, "m", 32, matmul: 100, kinds, leaves, steps);

        // Step 390 ms: conv 1×1 own 50 + 120 = 170 ms (43.6 %), 3 GFLOP in 0.17 s.
        Assert.Equal(["m", "32", "conv 1×1", "1", "50.0", "120", "43.6%", "3.00", "17.6", "17.6%"], kinds.Rows[0]);
        Assert.Equal("optimizer (AdamW step, zero_grad)", kinds.Rows[^3][2]);
        Assert.Equal("10.3%", kinds.Rows[^3][6]);
        // The kinds sum to 300 ms, the optimizer 40: 50 ms rest.
        Assert.Equal("12.8%", kinds.Rows[^2][6]);
        Assert.Equal(["m", "32", "whole plain step", "", "120", "230", "100%", "9.30", "23.8", "23.8%"], kinds.Rows[^1]);
        Assert.Equal(4, leaves.Rows.Count);
        Assert.Equal("64×3×32×32", leaves.Rows[1][4]);
        Assert.Equal(["m", "32", "NCHW", "120", "230", "40.0", "390", "164", "0.833", "0.870"], steps.Rows[0]);
    }
}
