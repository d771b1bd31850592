namespace Experiments.Benchmarks.Sections;

/// <summary>A convolution's shape, as far as its kind depends on it.</summary>
public sealed record ConvShape(long InChannels, long OutChannels, long Groups, long KernelHeight, long KernelWidth);

/// <summary>
/// One module of a model with its times per batch (ms): forward measured in place during training steps (hooks),
/// backward measured in isolation on the module's recorded input. Inclusive: the module with everything it calls.
/// </summary>
/// <param name="Path">Dotted module path (<c>""</c> for the model itself).</param>
/// <param name="TypeName">The module's class name (<c>Conv2d</c>, <c>ConvNormAct</c>, …).</param>
/// <param name="Kind">Operator kind (<see cref="OperatorKinds.Classify"/>).</param>
/// <param name="ForwardMs">Forward time, inclusive.</param>
/// <param name="BackwardMs">Backward time, inclusive.</param>
/// <param name="ForwardFlops">FLOPs of the module's own products (convolution, linear) per batch, forward; 0 for the rest.</param>
/// <param name="BackwardFlops">The same for backward: 2 × forward (input and weight gradients), 1 × when the input needs no gradient.</param>
/// <param name="InputShape">The recorded input's shape, for the table.</param>
public sealed record ModuleTiming(
    string Path, string TypeName, string Kind, double ForwardMs, double BackwardMs, double ForwardFlops, double BackwardFlops, string InputShape = "");

/// <summary>A module's own time: its inclusive time less that of the measured modules directly under it.</summary>
public sealed record SelfTiming(ModuleTiming Module, double ForwardMs, double BackwardMs, bool IsLeaf)
{
    public double TotalMs => ForwardMs + BackwardMs;

    public double Flops => Module.ForwardFlops + Module.BackwardFlops;
}

/// <summary>One operator kind's share of a training step.</summary>
public sealed record KindRow(string Kind, int Modules, double ForwardMs, double BackwardMs, double Flops)
{
    public double TotalMs => ForwardMs + BackwardMs;

    /// <summary>GFLOP/s of the kind's products (NaN when it has none).</summary>
    public double Gflops => Flops > 0 && TotalMs > 0 ? Flops / (TotalMs / 1000) / 1e9 : double.NaN;
}

/// <summary>Names the operator kind of a module, so that a breakdown can sum time by what the module computes.</summary>
public static class OperatorKinds
{
    public const string SqueezeExcite = "squeeze-excitation";
    public const string BatchNorm = "BatchNorm";
    public const string LayerNorm = "LayerNorm";
    public const string Linear = "Linear";
    public const string Activation = "activation";
    public const string Pooling = "pooling";
    public const string Dropout = "dropout";
    public const string Glue = "block glue (residual add, layer scale, reshapes)";

    /// <summary>
    /// The kind of a module. Convolutions by shape (depthwise, grouped, 1×1, dense k×k); a module inside a
    /// squeeze-excitation counts as squeeze-excitation; composite modules get the kind of what they compute themselves
    /// besides their children (the ReLU of <c>ConvNormAct</c>, the GELU of <c>Mlp</c>, the gate of an SE module).
    /// </summary>
    public static string Classify(string typeName, string? parentTypeName, ConvShape? conv)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        if (IsSqueezeExcite(typeName) || (parentTypeName is not null && IsSqueezeExcite(parentTypeName)))
        {
            return SqueezeExcite;
        }
        if (typeName == "Conv2d")
        {
            if (conv is null)
            {
                throw new ArgumentException("A Conv2d needs its shape to be classified.", nameof(conv));
            }
            return ConvKind(conv);
        }
        return typeName switch
        {
            "BatchNorm1d" or "BatchNorm2d" => BatchNorm,
            "LayerNorm" or "LayerNorm2d" => LayerNorm,
            "Linear" => Linear,
            "ReLU" or "ReLU6" or "GELU" or "SiLU" or "Hardswish" or "Hardsigmoid" or "Sigmoid" or "Tanh"
                // Composite modules whose own work is their activation.
                or "ConvNormAct" or "ConvBnAct" or "Mlp" => Activation,
            "MaxPool2d" or "AvgPool2d" or "AdaptiveAvgPool2d" or "AdaptiveMaxPool2d" or "AdaptiveConcatPool2d" => Pooling,
            "Dropout" => Dropout,
            _ => Glue,
        };
    }

    /// <summary>depthwise (one input channel per group), grouped, 1×1 or dense k×k.</summary>
    public static string ConvKind(ConvShape conv)
    {
        ArgumentNullException.ThrowIfNull(conv);
        string kernel = $"{conv.KernelHeight}×{conv.KernelWidth}";
        if (conv.Groups > 1 && conv.Groups == conv.InChannels)
        {
            return $"conv depthwise {kernel}";
        }
        if (conv.Groups > 1)
        {
            return $"conv grouped {kernel}";
        }
        return conv.KernelHeight == 1 && conv.KernelWidth == 1 ? "conv 1×1" : $"conv dense {kernel}";
    }

    private static bool IsSqueezeExcite(string typeName) => typeName is "SqueezeExcite" or "SEModule";
}

/// <summary>Turns inclusive module times into own times, sums them by kind and picks the slowest leaves.</summary>
public static class OperatorBreakdown
{
    /// <summary>
    /// Each module's own time: inclusive time less the inclusive times of the measured modules whose nearest measured
    /// ancestor it is (a module that was not measured itself, e.g. one whose forward is called directly rather than
    /// through <c>call</c>, passes its children to the next measured ancestor). The own times of a tree sum to the
    /// root's inclusive time.
    /// </summary>
    public static IReadOnlyList<SelfTiming> SelfTimes(IReadOnlyList<ModuleTiming> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var byPath = modules.ToDictionary(m => m.Path, StringComparer.Ordinal);
        var childForward = modules.ToDictionary(m => m.Path, _ => 0.0, StringComparer.Ordinal);
        var childBackward = modules.ToDictionary(m => m.Path, _ => 0.0, StringComparer.Ordinal);
        var hasChildren = new HashSet<string>(StringComparer.Ordinal);
        foreach (var module in modules)
        {
            if (NearestMeasuredAncestor(module.Path, byPath) is { } parent)
            {
                childForward[parent] += module.ForwardMs;
                childBackward[parent] += module.BackwardMs;
                hasChildren.Add(parent);
            }
        }
        return [.. modules.Select(m => new SelfTiming(m, m.ForwardMs - childForward[m.Path], m.BackwardMs - childBackward[m.Path], !hasChildren.Contains(m.Path)))];
    }

    /// <summary>The own times summed by kind, slowest first.</summary>
    public static IReadOnlyList<KindRow> ByKind(IEnumerable<SelfTiming> selfTimes) =>
        [.. selfTimes
            .GroupBy(s => s.Module.Kind, StringComparer.Ordinal)
            .Select(g => new KindRow(g.Key, g.Count(), g.Sum(s => s.ForwardMs), g.Sum(s => s.BackwardMs), g.Sum(s => s.Flops)))
            .OrderByDescending(r => r.TotalMs)
            .ThenBy(r => r.Kind, StringComparer.Ordinal)];

    /// <summary>The <paramref name="count"/> leaves (modules without measured children) with the most forward + backward time.</summary>
    public static IReadOnlyList<SelfTiming> TopLeaves(IEnumerable<SelfTiming> selfTimes, int count) =>
        [.. selfTimes.Where(s => s.IsLeaf).OrderByDescending(s => s.TotalMs).ThenBy(s => s.Module.Path, StringComparer.Ordinal).Take(count)];

    /// <summary>The path of the closest measured module above <paramref name="path"/> (<c>""</c> is the model), or null for the model itself.</summary>
    public static string? NearestMeasuredAncestor(string path, IReadOnlyDictionary<string, ModuleTiming> measured)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return null;
        }
        for (int dot = path.LastIndexOf('.'); dot > 0; dot = path.LastIndexOf('.', dot - 1))
        {
            string candidate = path[..dot];
            if (measured.ContainsKey(candidate))
            {
                return candidate;
            }
        }
        return measured.ContainsKey("") ? "" : null;
    }

    /// <summary>The parent path of a module path (<c>""</c> for a top-level module, null for the model).</summary>
    public static string? ParentPath(string path) =>
        path.Length == 0 ? null : path.LastIndexOf('.') is var dot and > 0 ? path[..dot] : "";
}
