using Experiments.Vision.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Experiments.Vision.Tests.Training;

/// <summary>
/// Two AdamW steps with changing learning rates and β₁ against a hand computation in double precision; the fused CPU step
/// against TorchSharp's <c>optim.AdamW</c>.
/// </summary>
public sealed class AdamWOptimizerTests
{
    [Fact]
    public void Two_steps_match_a_hand_computation_with_per_group_rates_momentum_and_no_decay_groups()
    {
        TorchRuntime.EnsureLoaded();
        using var model = new Toy();
        var named = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var groups = new[]
        {
            new ParameterGroup("body", [("w", named["w"]), ("bias", named["bias"]), ("frozen", named["frozen"])]),
            new ParameterGroup("head", [("hw", named["hw"]), ("norm.weight", named["norm.weight"]), ("norm.bias", named["norm.bias"])]),
        };
        using var optimizer = new AdamWOptimizer(model, groups);

        Assert.Equal(["w", "frozen"], optimizer.DecayedParameters[0]);
        Assert.Equal(["bias"], optimizer.UndecayedParameters[0]);
        Assert.Equal(["hw"], optimizer.DecayedParameters[1]);
        Assert.Equal(["norm.weight", "norm.bias"], optimizer.UndecayedParameters[1]);

        // The hand computation: fastai's Adam with decoupled weight decay, in double precision.
        var trainable = new[] { "w", "bias", "hw", "norm.weight", "norm.bias" };
        var p = trainable.ToDictionary(n => n, n => Values(named[n]));
        var m = trainable.ToDictionary(n => n, n => new double[p[n].Length]);
        var v = trainable.ToDictionary(n => n, n => new double[p[n].Length]);
        var frozenBefore = Values(named["frozen"]);
        var decays = new Dictionary<string, bool> { ["w"] = true, ["bias"] = false, ["hw"] = true, ["norm.weight"] = false, ["norm.bias"] = false };
        var inBody = new Dictionary<string, bool> { ["w"] = true, ["bias"] = true, ["hw"] = false, ["norm.weight"] = false, ["norm.bias"] = false };
        const double wd = 0.01, beta2 = 0.99, eps = 1e-5;

        var steps = new[] { (Body: 0.1, Head: 0.01, Beta1: 0.95), (Body: 0.05, Head: 0.02, Beta1: 0.85) };
        for (int t = 1; t <= steps.Length; t++)
        {
            var (bodyLr, headLr, beta1) = steps[t - 1];
            // Loss Σ c·p + Σ p² / 2: the gradient c + p differs per element and between the steps.
            Dictionary<string, double[]> grads;
            using (var scope = NewDisposeScope())
            {
                optimizer.ZeroGrad();
                Tensor loss = zeros(1);
                grads = new Dictionary<string, double[]>();
                foreach (var name in trainable)
                {
                    var parameter = named[name];
                    var c = arange(parameter.numel(), dtype: ScalarType.Float32).reshape(parameter.shape) * 0.3f - 0.5f;
                    loss = loss + (parameter * c).sum() + (parameter * parameter).sum() / 2;
                    grads[name] = Values(c).Zip(p[name], (ci, pi) => ci + pi).ToArray();
                }
                loss.backward();
            }
            optimizer.SetLearningRate(0, bodyLr);
            optimizer.SetLearningRate(1, headLr);
            optimizer.SetMomentum(beta1);
            optimizer.Step();

            foreach (var name in trainable)
            {
                double lr = inBody[name] ? bodyLr : headLr;
                for (int i = 0; i < p[name].Length; i++)
                {
                    double g = grads[name][i];
                    if (decays[name])
                    {
                        p[name][i] *= 1 - (lr * wd);
                    }
                    m[name][i] = (beta1 * m[name][i]) + ((1 - beta1) * g);
                    v[name][i] = (beta2 * v[name][i]) + ((1 - beta2) * g * g);
                    double debias1 = 1 - Math.Pow(beta1, t);
                    double debias2 = 1 - Math.Pow(beta2, t);
                    p[name][i] -= lr / debias1 * m[name][i] / (Math.Sqrt(v[name][i] / debias2) + eps);
                }
                var actual = Values(named[name]);
                for (int i = 0; i < actual.Length; i++)
                {
                    Assert.True(Math.Abs(actual[i] - p[name][i]) <= 1e-6 * Math.Max(1, Math.Abs(p[name][i])),
                        $"step {t}, {name}[{i}]: {actual[i]} instead of {p[name][i]}");
                }
            }
        }

        // A parameter without gradient (frozen) is neither stepped nor decayed.
        Assert.Equal(frozenBefore, Values(named["frozen"]));
    }

    [Fact]
    public void The_fused_step_matches_TorchSharps_AdamW_over_several_steps()
    {
        TorchRuntime.EnsureLoaded();
        // A vision model (body and head groups, norm layers, small tensors) and a wide MLP whose first weight spans several
        // parallel chunks and whose sizes leave SIMD tails.
        Compare(() => TrainingFixtures.TinyVisionModel(3), randn(6, 3, 16, 16), 3);
        Compare(() => Sequential(Linear(301, 203), LayerNorm(203), ReLU(), Linear(203, 5)), randn(6, 301), 5);
        // Convolution weights in channels-last order: updated through the same flat view of their memory.
        Compare(() => TrainingFixtures.TinyVisionModel(3), randn(6, 3, 16, 16), 3, channelsLast: true);

        static void Compare(Func<Module<Tensor, Tensor>> create, Tensor input, int classes, bool channelsLast = false)
        {
            random.manual_seed(7);
            using var fusedModel = create();
            using var referenceModel = create();
            referenceModel.load_state_dict(fusedModel.state_dict());
            if (channelsLast)
            {
                ChannelsLast.Apply(fusedModel);
                ChannelsLast.Apply(referenceModel);
                Assert.Contains(fusedModel.parameters(), p => p.dim() == 4 && !p.is_contiguous());
            }
            using var fused = new AdamWOptimizer(fusedModel, ParameterGroups.Of(fusedModel));
            using var reference = new AdamWOptimizer(referenceModel, ParameterGroups.Of(referenceModel), new AdamWOptions { Fused = false });
            Assert.True(fused.IsFused);
            Assert.False(reference.IsFused);
            var targets = arange(input.shape[0]) % classes;
            var initial = fusedModel.named_parameters().ToDictionary(p => p.name, p => Values(p.parameter));

            var schedule = new[] { (Lr: 0.01, Beta1: 0.95), (Lr: 0.03, Beta1: 0.9), (Lr: 0.002, Beta1: 0.85) };
            var referenceParameters = referenceModel.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (lr, beta1) in schedule)
            {
                using var scope = NewDisposeScope();
                fused.ZeroGrad();
                functional.cross_entropy(fusedModel.call(input), targets).backward();
                // Both optimizers get the very same gradients: Adam divides by √v, so a rounding difference in a tiny
                // gradient (two backward passes can sum in another order) would flip its update's sign.
                foreach (var (name, parameter) in fusedModel.named_parameters())
                {
                    referenceParameters[name].grad = parameter.grad!.clone();
                }
                foreach (var optimizer in new[] { fused, reference })
                {
                    for (int g = 0; g < optimizer.GroupNames.Count; g++)
                    {
                        optimizer.SetLearningRate(g, lr * (g + 1));
                    }
                    optimizer.SetMomentum(beta1);
                    optimizer.Step();
                }
            }

            var expected = referenceModel.named_parameters().ToDictionary(p => p.name, p => Values(p.parameter));
            foreach (var (name, parameter) in fusedModel.named_parameters())
            {
                var actual = Values(parameter);
                // Rounding only: the steps themselves are of the order of the learning rates (1e-3 to 6e-2).
                double worst = actual.Zip(expected[name], (a, e) => Math.Abs(a - e) / Math.Max(1, Math.Abs(e))).Max();
                Assert.True(worst < 1e-6, $"{name}: fused and TorchSharp's AdamW differ by {worst:E2}.");
                Assert.NotEqual(initial[name], actual); // every parameter was stepped
            }
        }
    }

    [Fact]
    public void Norm_parameters_and_biases_are_found_by_module_and_name()
    {
        TorchRuntime.EnsureLoaded();
        using var model = TrainingFixtures.TinyVisionModel(3);
        var noDecay = ParameterGroups.NoWeightDecay(model);

        Assert.Contains("body.bn1.weight", noDecay);
        Assert.Contains("body.bn1.bias", noDecay);
        Assert.Contains("body.conv2.bias", noDecay);
        Assert.Contains("head.2.weight", noDecay); // BatchNorm1d of the head
        Assert.DoesNotContain("body.conv1.weight", noDecay);
        Assert.DoesNotContain("body.conv2.weight", noDecay);
        Assert.DoesNotContain("head.4.weight", noDecay); // Linear

        var groups = ParameterGroups.Of(model);
        Assert.Equal(["body", "head"], groups.Select(g => g.Name));
        Assert.Equal(model.parameters().Count(), groups.Sum(g => g.Parameters.Count));
    }

    private static double[] Values(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().to_type(ScalarType.Float64).flatten().data<double>().ToArray();
    }

    private sealed class Toy : Module
    {
        // TorchSharp names components after their fields (the state-dict keys): PyTorch names, not _camelCase.
#pragma warning disable IDE1006
        private readonly Parameter w;
        private readonly Parameter bias;
        private readonly Parameter frozen;
        private readonly Parameter hw;
        private readonly LayerNorm norm;
#pragma warning restore IDE1006

        public Toy() : base(nameof(Toy))
        {
            w = new Parameter(tensor(new float[] { 0.5f, -1.5f, 2.0f, 0.25f }).reshape(2, 2));
            bias = new Parameter(tensor(new float[] { 0.1f, -0.2f }));
            frozen = new Parameter(tensor(new float[] { 3f, 4f }), requires_grad: false);
            hw = new Parameter(tensor(new float[] { 1f, -2f, 0.75f }));
            norm = LayerNorm(3);
            RegisterComponents();
        }
    }
}
