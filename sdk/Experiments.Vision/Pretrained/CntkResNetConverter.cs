using System.Runtime.InteropServices;
using Experiments.Vision.Models;
using Experiments.Vision.Transforms;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Pretrained;

/// <summary>
/// Converts CNTK's ONNX export of an ImageNet ResNet (<see cref="CntkResNetPackage"/>) into a state dict with
/// torchvision's keys, which <see cref="ResNet"/> loads. Reading parses protobuf messages and copies numbers: nothing in
/// the file is executed.
/// </summary>
/// <remarks>
/// <para><b>Mapping.</b> The export is 22 Conv → BatchNormalization pairs (no conv bias, BN eps 1e-5 with trained running
/// statistics), 9 residual Adds, a max pool and a fixed 7×7 average pool. Walking the Conv nodes in graph order gives
/// torchvision's order: <c>conv1</c>/<c>bn1</c>; then per stage and block <c>layer{l}.{b}.conv1</c>/<c>bn1</c>,
/// <c>conv2</c>/<c>bn2</c>, with the 1×1 shortcut of stages 2–4 (<c>layer{l}.0.downsample.0</c>/<c>.1</c>) just
/// before block 0's convolutions. Each pair is checked on the way (kernel, stride, padding, no bias, one group, BN
/// epsilon), so another network fails with the node's name instead of loading wrong.</para>
/// <para><b>Padding.</b> CNTK pads asymmetrically (the stem [3, 3, 2, 2], stride-2 3×3 convolutions and the max pool
/// [1, 1, 0, 0] as begin/end). The end padding is never read when the input side is even — true at every stage for
/// 224 px and for any side divisible by 32 — so torchvision's symmetric padding computes the same features there.</para>
/// <para><b>Input.</b> The network takes BGR on the 0–255 scale minus a per-pixel 224×224 mean image (the preprocessing
/// graph). <see cref="ReadNetwork"/> keeps that (the exact path, checked against ONNX Runtime);
/// <see cref="FoldImageNetNormalization"/> makes the weights take what every other catalog model takes — RGB in
/// [0, 1] normalised with ImageNet's mean and std — by flipping <c>conv1</c>'s input channels, scaling them by
/// 255·σ, and moving the constant difference between ImageNet's mean and the mean image's channel means into
/// <c>bn1</c>'s running mean. That is exact except for the mean image's spatial variation (a few levels of 255) and
/// the zero padding at the stem's border.</para>
/// </remarks>
public static class CntkResNetConverter
{
    private const float BatchNormEpsilon = 1e-5f;

    /// <summary>
    /// The network's weights under torchvision's keys, as exported: the stem takes BGR minus the mean image on the
    /// 0–255 scale. No classifier (<c>fc.*</c>): the export ends at the average pool.
    /// </summary>
    /// <param name="path">The ONNX file (ResNet18.onnx).</param>
    /// <param name="config">The ResNet it should be (BasicBlocks); <see cref="ResNetConfig.ResNet20"/> for the package's.</param>
    /// <exception cref="InvalidDataException">The file is not ONNX, or its graph is not that ResNet; the message names the file and node.</exception>
    public static Dictionary<string, Tensor> ReadNetwork(string path, ResNetConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Block != ResNetBlock.Basic || config.DeepStem || config.AverageDown)
        {
            throw new ArgumentException("CNTK's ImageNet ResNets are plain BasicBlock ResNets.", nameof(config));
        }
        var graph = Parse(path).Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var expected = ConvolutionsOf(config);
        var convolutions = graph.Node.Where(n => n.OpType == "Conv").ToList();
        if (convolutions.Count != expected.Count)
        {
            throw Invalid(path, $"it has {convolutions.Count} Conv nodes; a BasicBlock ResNet ({string.Join(", ", config.Layers)}) has {expected.Count}");
        }

        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            for (int i = 0; i < expected.Count; i++)
            {
                var (conv, norm, kernel, stride) = expected[i];
                var convNode = convolutions[i];
                CheckConvolution(path, convNode, conv, kernel, stride);
                var normNode = graph.Node.SingleOrDefault(n => n.OpType == "BatchNormalization" && n.Input[0] == convNode.Output[0])
                    ?? throw Invalid(path, $"no BatchNormalization follows Conv node '{convNode.Name}' ({conv})");
                if (normNode.Input.Count != 5 || Attribute(normNode, "epsilon")?.F is not BatchNormEpsilon)
                {
                    throw Invalid(path, $"BatchNormalization node '{normNode.Name}' ({norm}) is not an inference BatchNorm with epsilon {BatchNormEpsilon}");
                }
                state[conv + ".weight"] = Read(path, initializers, convNode.Input[1]);
                state[norm + ".weight"] = Read(path, initializers, normNode.Input[1]);
                state[norm + ".bias"] = Read(path, initializers, normNode.Input[2]);
                state[norm + ".running_mean"] = Read(path, initializers, normNode.Input[3]);
                state[norm + ".running_var"] = Read(path, initializers, normNode.Input[4]);
            }
        }
        catch
        {
            Dispose(state);
            throw;
        }
        return state;
    }

    /// <summary>The preprocessing graph's mean image: [3, 224, 224], BGR, 0–255 scale (the second input of its Sub node).</summary>
    /// <exception cref="InvalidDataException">The file is not ONNX or not that graph.</exception>
    public static Tensor ReadMeanImage(string path)
    {
        var graph = Parse(path).Graph;
        var sub = graph.Node.SingleOrDefault(n => n.OpType == "Sub")
            ?? throw Invalid(path, "it has no single Sub node (the mean-image subtraction)");
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var mean = Read(path, initializers, sub.Input[1]);
        if (mean.shape is not [1, 3, _, _])
        {
            var shape = string.Join(", ", mean.shape);
            mean.Dispose();
            throw Invalid(path, $"its mean image '{sub.Input[1]}' has shape [{shape}], expected [1, 3, H, W]");
        }
        return mean.squeeze(0);
    }

    /// <summary>
    /// Weights that take RGB in [0, 1] normalised with ImageNet's mean and std (<see cref="Normalization.ImageNet"/>),
    /// from <see cref="ReadNetwork"/>'s weights and <see cref="ReadMeanImage"/>'s mean image. See the remarks of
    /// <see cref="CntkResNetConverter"/>.
    /// </summary>
    public static Dictionary<string, Tensor> FoldImageNetNormalization(IReadOnlyDictionary<string, Tensor> exact, Tensor meanImageBgr)
    {
        ArgumentNullException.ThrowIfNull(exact);
        ArgumentNullException.ThrowIfNull(meanImageBgr);
        var folded = exact.ToDictionary(kv => kv.Key, kv => kv.Value.clone(), StringComparer.Ordinal);
        using var scope = NewDisposeScope();
        var imagenet = Normalization.ImageNet;
        var mean255 = tensor(imagenet.Mean.Select(m => 255 * m).ToArray(), float64);
        var std255 = tensor(imagenet.Std.Select(s => 255 * s).ToArray(), float64);
        var imageMeanRgb = meanImageBgr.to_type(float64).mean([1, 2]).flip(0);

        // conv1(BGR255 − m) with BGR255 = flip(255·(σ·u + μ)): the weight of u is flip(W)·255σ, the rest a constant per output channel.
        var weightRgb = exact["conv1.weight"].to_type(float64).flip(1);
        var shift = (weightRgb.sum([2, 3]) * (mean255 - imageMeanRgb).view(1, 3)).sum(1);
        Replace(folded, "conv1.weight", (weightRgb * std255.view(1, 3, 1, 1)).to_type(float32));
        // BN(y + shift) with running mean r equals BN(y) with running mean r − shift (and so does a batch's mean in training).
        Replace(folded, "bn1.running_mean", (exact["bn1.running_mean"].to_type(float64) - shift).to_type(float32));
        return folded;
    }

    /// <summary>Disposes every tensor of a state dict.</summary>
    public static void Dispose(IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (var tensor in state.Values)
        {
            tensor.Dispose();
        }
    }

    private static void Replace(Dictionary<string, Tensor> state, string key, Tensor value)
    {
        state[key].Dispose();
        state[key] = value.MoveToOuterDisposeScope();
    }

    /// <summary>(conv key, norm key, kernel, stride) of every Conv → BN pair, in the export's node order.</summary>
    private static List<(string Conv, string Norm, int Kernel, int Stride)> ConvolutionsOf(ResNetConfig config)
    {
        var pairs = new List<(string, string, int, int)> { ("conv1", "bn1", 7, 2) };
        for (int stage = 0; stage < config.Layers.Length; stage++)
        {
            string layer = $"layer{stage + 1}";
            int stride = stage == 0 ? 1 : 2;
            for (int block = 0; block < config.Layers[stage]; block++)
            {
                if (block == 0 && stage > 0)
                {
                    pairs.Add(($"{layer}.0.downsample.0", $"{layer}.0.downsample.1", 1, stride));
                }
                pairs.Add(($"{layer}.{block}.conv1", $"{layer}.{block}.bn1", 3, block == 0 ? stride : 1));
                pairs.Add(($"{layer}.{block}.conv2", $"{layer}.{block}.bn2", 3, 1));
            }
        }
        return pairs;
    }

    private static void CheckConvolution(string path, NodeProto node, string key, int kernel, int stride)
    {
        long[] Ints(string name, params long[] absent) => Attribute(node, name)?.Ints.ToArray() ?? absent;
        var kernelShape = Ints("kernel_shape");
        var strides = Ints("strides", 1, 1);
        var pads = Ints("pads", 0, 0, 0, 0);
        long group = Attribute(node, "group")?.I ?? 1;
        var dilations = Ints("dilations", 1, 1);
        // torchvision pads k / 2 on every side; CNTK pads that at the start and up to stride − 1 less at the end, which a
        // convolution over an even side never reads.
        int begin = kernel / 2;
        bool padsFit = pads.Length == 4 && pads[0] == begin && pads[1] == begin
            && pads[2] <= begin && pads[2] >= begin - (stride - 1) && pads[3] <= begin && pads[3] >= begin - (stride - 1);
        if (node.Input.Count != 2 || group != 1 || !kernelShape.SequenceEqual([kernel, kernel]) || !strides.SequenceEqual([stride, stride])
            || !dilations.SequenceEqual([1L, 1L]) || !padsFit)
        {
            throw Invalid(path,
                $"Conv node '{node.Name}' should be {key} ({kernel}×{kernel}, stride {stride}, no bias, one group) but has kernel " +
                $"[{string.Join(", ", kernelShape)}], strides [{string.Join(", ", strides)}], pads [{string.Join(", ", pads)}], " +
                $"group {group}, {node.Input.Count - 1} weight input(s)");
        }
    }

    private static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    private static Tensor Read(string path, Dictionary<string, TensorProto> initializers, string name)
    {
        if (!initializers.TryGetValue(name, out var proto))
        {
            throw Invalid(path, $"initializer '{name}' is missing");
        }
        if (proto.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw Invalid(path, $"initializer '{name}' is not float32 (ONNX data type {proto.DataType})");
        }
        var shape = proto.Dims.ToArray();
        long count = shape.Aggregate(1L, (a, b) => a * b);
        float[] values = proto.FloatData.Count > 0
            ? proto.FloatData.ToArray()
            : MemoryMarshal.Cast<byte, float>(proto.RawData.Span).ToArray();
        if (values.Length != count)
        {
            throw Invalid(path, $"initializer '{name}' has {values.Length} values for shape [{string.Join(", ", shape)}]");
        }
        return tensor(values, shape);
    }

    private static ModelProto Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var stream = File.OpenRead(path);
            return ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new InvalidDataException($"'{path}' is not an ONNX model: {error.Message}", error);
        }
    }

    private static InvalidDataException Invalid(string path, string problem) =>
        new($"'{path}' is not CNTK's ImageNet ResNet export: {problem}.");
}
