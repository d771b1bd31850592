using Experiments.Vision.Models;
using Experiments.Vision.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Training;

/// <summary>Mixed bf16 training (<see cref="MixedPrecision.Bf16"/>): what is bf16, what stays fp32, and that it learns.</summary>
[Collection(SerialTorchCollection.Name)]
public sealed class MixedPrecisionTests
{
    [Fact]
    public void Mixed_bf16_computes_in_bf16_and_keeps_fp32_masters_optimizer_state_and_norm_layers_and_its_loss_falls()
    {
        random.manual_seed(31);
        using var model = TrainingFixtures.TinyVisionModel(3);
        var (train, valid) = TrainingFixtures.ShapesLoaders(96, 16, 16, validCount: 32);
        var probe = new DuringFit();
        using var learner = new Learner(model, train, valid, new LearnerOptions { MixedPrecision = MixedPrecision.Bf16, Callbacks = [probe], Seed = 1 });
        Assert.Equal(MixedPrecision.Bf16, learner.Precision);

        var fit = learner.FitOneCycle(6, 1e-2);

        Assert.Equal("bf16-mixed", fit.Precision);
        Assert.True(probe.Steps > 0);
        Assert.Equal([], probe.Problems);
        // Finite losses that fall on the toy problem (6 classes of shapes: chance is a loss of ln 3 ≈ 1.1).
        Assert.All(fit.Epochs, e => Assert.True(double.IsFinite(e.TrainLossMean) && double.IsFinite(e.ValidLoss)));
        Assert.True(fit.Epochs[^1].TrainLossMean < 0.7 * fit.Epochs[0].TrainLossMean,
            $"train loss {fit.Epochs[0].TrainLossMean:0.###} → {fit.Epochs[^1].TrainLossMean:0.###}");
        // After the fit the model is fp32 again and holds the masters' values exactly.
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            Assert.True(TrainingFixtures.Same(parameter, learner.MasterWeights[name]), name);
        }
        Assert.All(model.buffers().Where(b => b.is_floating_point()), b => Assert.Equal(ScalarType.Float32, b.dtype));
    }

    [Fact]
    public void Between_fits_the_model_is_fp32_and_a_fit_starts_from_its_current_weights()
    {
        random.manual_seed(32);
        using var model = TrainingFixtures.TinyVisionModel(3);
        var (train, valid) = TrainingFixtures.ShapesLoaders(64, 16, 16, validCount: 32);
        using var learner = new Learner(model, train, valid, new LearnerOptions { MixedPrecision = MixedPrecision.Bf16 });
        learner.FitOneCycle(1, 1e-2);
        // A weight changed between fits (a checkpoint loaded, say) is what the next fit starts from.
        var conv1 = model.named_parameters().Single(p => p.name.EndsWith("conv1.weight", StringComparison.Ordinal));
        using (no_grad())
        {
            conv1.parameter.mul_(0.5);
        }
        var before = TrainingFixtures.Snapshot(model);
        try
        {
            learner.Fit(0, 1e-2); // into bf16 and back without a step: nothing may change, BatchNorm statistics included

            var after = model.state_dict();
            Assert.Equal(before.Keys.Order(), after.Keys.Order());
            Assert.All(before, kv => Assert.True(TrainingFixtures.Same(kv.Value, after[kv.Key]), kv.Key));
            Assert.True(TrainingFixtures.Same(before[conv1.name], learner.MasterWeights[conv1.name]));

            var second = learner.FitOneCycle(1, 1e-2);
            Assert.True(double.IsFinite(second.ValidLoss));
            Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        }
        finally
        {
            TrainingFixtures.Dispose(before);
        }
    }

    [Fact]
    public void A_ConvNeXt_trains_in_mixed_bf16_with_fp32_layer_norms()
    {
        random.manual_seed(33);
        using var model = ModelCatalog.Create(ModelCatalog.ConvNeXtAtto, numClasses: 3);
        var (train, valid) = TrainingFixtures.ShapesLoaders(32, 32, 16, validCount: 16);
        var probe = new DuringFit();
        using var learner = new Learner(model, train, valid, new LearnerOptions { MixedPrecision = MixedPrecision.Bf16, Callbacks = [probe] });

        var fit = learner.FitOneCycle(1, 1e-3);

        Assert.True(double.IsFinite(fit.TrainLoss) && double.IsFinite(fit.ValidLoss));
        Assert.True(probe.Steps > 0);
        Assert.Equal([], probe.Problems);
    }

    /// <summary>Checks the dtypes after every optimizer step: bf16 weights outside norm layers, fp32 norm layers, masters and optimizer.</summary>
    private sealed class DuringFit : LearnerCallback
    {
        public int Steps { get; private set; }

        public List<string> Problems { get; } = [];

        public override void AfterStep(Learner learner)
        {
            Steps++;
            var norms = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (prefix, module) in learner.Model.named_modules().Where(m => ParameterGroups.IsNorm(m.module)))
            {
                foreach (var (name, tensor) in module.named_parameters(recurse: false).Select(p => (p.name, (Tensor)p.parameter)).Concat(module.named_buffers(recurse: false)))
                {
                    norms.Add(prefix + "." + name);
                    if (tensor.is_floating_point() && tensor.dtype != ScalarType.Float32)
                    {
                        Problems.Add($"norm tensor {prefix}.{name} is {tensor.dtype}");
                    }
                }
            }
            if (norms.Count == 0)
            {
                Problems.Add("no norm layer found");
            }
            foreach (var (name, parameter) in learner.Model.named_parameters())
            {
                if (!norms.Contains(name) && parameter.dtype != ScalarType.BFloat16)
                {
                    Problems.Add($"{name} is {parameter.dtype}, not bf16");
                }
                var master = learner.MasterWeights[name];
                if (master.dtype != ScalarType.Float32)
                {
                    Problems.Add($"master of {name} is {master.dtype}");
                }
                if (parameter.grad is not null && master.grad?.dtype != ScalarType.Float32)
                {
                    Problems.Add($"master of {name} has no fp32 gradient");
                }
            }
            // The optimizer steps the fp32 masters with the fused step, whose moments are float32 arrays.
            if (learner.Optimizer is not { IsFused: true })
            {
                Problems.Add("the optimizer does not step fp32 CPU tensors (not fused)");
            }
            // In the running model the bf16 weight is the master rounded to bf16.
            using var scope = NewDisposeScope();
            var (firstName, first) = learner.Model.named_parameters().First(p => !norms.Contains(p.name));
            if (!TrainingFixtures.Same(first, learner.MasterWeights[firstName].to_type(ScalarType.BFloat16)))
            {
                Problems.Add($"{firstName} is not its master rounded to bf16");
            }
        }
    }
}
