using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Vision.Training;

/// <summary>
/// Mixed bf16 training (<see cref="MixedPrecision.Bf16"/>) the way fastai's <c>to_fp16</c> did it before autocast:
/// the model computes in bfloat16 and the optimizer steps fp32 master copies of its weights.
/// </summary>
/// <remarks>
/// <para>TorchSharp 0.107 has no autocast, and a module's weight is a leaf <c>Parameter</c> that a cast in the forward
/// cannot stand in for, so the model itself holds a bf16 copy of the weights for the duration of a fit
/// (<see cref="Enter"/>): after each backward pass the bf16 gradients are copied into the masters' fp32 gradients
/// (<see cref="CopyGradients"/>), the optimizer steps the masters (fp32 AdamW state, the fused CPU step), and the
/// masters are copied back into the bf16 weights (<see cref="CopyWeights"/>). <see cref="Exit"/> puts the masters'
/// values back into an fp32 model, so between fits (validation, TTA, checkpoints, export) the model is plain fp32.</para>
/// <para>Normalisation layers (<see cref="ParameterGroups.IsNorm"/>) stay fp32, weights and BatchNorm's running
/// statistics, as fastai's <c>bn2float</c>: LibTorch's batch_norm and layer_norm take a bf16 input with fp32 weights and
/// statistics (they accumulate in fp32 and return bf16). Other floating buffers are restored from their fp32 values at
/// <see cref="Exit"/>.</para>
/// <para>The <see cref="Learner"/> uses it for <see cref="MixedPrecision.Bf16"/>; a loop of one's own does the same:
/// <see cref="Enter"/>, an optimizer over <see cref="MasterGroups"/>, and per step the forward on a bf16 batch, the loss
/// on the output in fp32, backward, <see cref="CopyGradients"/>, the optimizer's step, <see cref="CopyWeights"/>,
/// and zeroing both gradients.</para>
/// <para>The masters live as long as the learner (the optimizer's state refers to them) and are refreshed from the
/// model at every <see cref="Enter"/>, so weights loaded between fits are respected.</para>
/// </remarks>
public sealed class MixedBf16Weights : IDisposable
{
    private readonly nn.Module _model;
    private readonly Dictionary<string, Parameter> _masters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _floatBuffers = new(StringComparer.Ordinal);
    private (Parameter Model, Parameter Master)[] _pairs = [];
    private HashSet<string> _normTensors = [];

    /// <param name="model">A float32 model; it is changed in place (its weights become bf16) between <see cref="Enter"/> and <see cref="Exit"/>.</param>
    public MixedBf16Weights(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
    }

    /// <summary>Whether the model currently holds the bf16 copy (between <see cref="Enter"/> and <see cref="Exit"/>).</summary>
    public bool Active { get; private set; }

    /// <summary>The fp32 master of every parameter, by its state-dict name (what the optimizer steps).</summary>
    public IReadOnlyDictionary<string, Parameter> Masters => _masters;

    /// <summary>The model's parameter groups with the masters in place of the model's parameters.</summary>
    public IReadOnlyList<ParameterGroup> MasterGroups(IReadOnlyList<ParameterGroup> groups)
    {
        EnsureMasters();
        return [.. groups.Select(g => new ParameterGroup(g.Name, [.. g.Parameters.Select(p => (p.Name, _masters[p.Name]))]))];
    }

    /// <summary>Refreshes the masters from the model and turns the model's weights (norm layers excepted) into bf16.</summary>
    public void Enter()
    {
        if (Active)
        {
            throw new InvalidOperationException("The bf16 weights are already in place.");
        }
        using var noGrad = no_grad();
        EnsureMasters();
        foreach (var (name, parameter) in _model.named_parameters())
        {
            _masters[name].copy_(parameter);
        }
        _normTensors = NormTensorNames();
        foreach (var buffer in _floatBuffers.Values)
        {
            buffer.Dispose();
        }
        _floatBuffers.Clear();
        foreach (var (name, buffer) in _model.named_buffers())
        {
            if (buffer.is_floating_point())
            {
                _floatBuffers[name] = buffer.detach().clone().DetachFromDisposeScope();
            }
        }

        _model.to(ScalarType.BFloat16);
        foreach (var (_, module) in _model.named_modules())
        {
            if (ParameterGroups.IsNorm(module))
            {
                module.to(ScalarType.Float32);
            }
        }
        // The round trip through bf16 rounded the norm layers' weights and statistics: put the exact values back.
        foreach (var (name, parameter) in _model.named_parameters())
        {
            if (_normTensors.Contains(name))
            {
                parameter.copy_(_masters[name]);
            }
        }
        foreach (var (name, buffer) in _model.named_buffers())
        {
            if (_normTensors.Contains(name) && _floatBuffers.TryGetValue(name, out var saved))
            {
                buffer.copy_(saved);
            }
        }
        _pairs = [.. _model.named_parameters().Select(p => (p.parameter, _masters[p.name]))];
        Active = true;
    }

    /// <summary>
    /// Gives each master the gradient of its bf16 weight, in fp32 (none where the weight has none: a frozen parameter
    /// is then skipped by the optimizer, as before).
    /// </summary>
    public void CopyGradients()
    {
        using var scope = NewDisposeScope();
        foreach (var (model, master) in _pairs)
        {
            var grad = model.grad;
            if (grad is null)
            {
                if (master.grad is not null)
                {
                    master.grad = null;
                }
                continue;
            }
            var masterGrad = master.grad;
            if (masterGrad is null)
            {
                using var fresh = empty_strided(master.shape, master.stride(), ScalarType.Float32, master.device);
                fresh.copy_(grad);
                master.grad = fresh;
            }
            else
            {
                masterGrad.copy_(grad);
            }
        }
    }

    /// <summary>Copies the stepped masters into the model's bf16 weights (only those that were stepped: they had a gradient).</summary>
    public void CopyWeights()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var (model, master) in _pairs)
        {
            if (master.grad is not null)
            {
                model.copy_(master);
            }
        }
    }

    /// <summary>Zeroes the model's gradients in place (the optimizer zeroes the masters').</summary>
    public void ZeroGrad()
    {
        using var scope = NewDisposeScope();
        foreach (var (model, _) in _pairs)
        {
            model.grad?.zero_();
        }
    }

    /// <summary>Turns the model back into fp32 with the masters' values (and the fp32 values of buffers outside norm layers).</summary>
    public void Exit()
    {
        if (!Active)
        {
            return;
        }
        Active = false;
        _pairs = [];
        using var noGrad = no_grad();
        _model.to(ScalarType.Float32);
        foreach (var (name, parameter) in _model.named_parameters())
        {
            parameter.copy_(_masters[name]);
        }
        foreach (var (name, buffer) in _model.named_buffers())
        {
            if (!_normTensors.Contains(name) && _floatBuffers.TryGetValue(name, out var saved))
            {
                buffer.copy_(saved);
            }
        }
    }

    public void Dispose()
    {
        Exit();
        foreach (var tensor in _masters.Values.Cast<Tensor>().Concat(_floatBuffers.Values))
        {
            tensor.Dispose();
        }
        _masters.Clear();
        _floatBuffers.Clear();
    }

    private void EnsureMasters()
    {
        if (_masters.Count > 0)
        {
            return;
        }
        using var noGrad = no_grad();
        foreach (var (name, parameter) in _model.named_parameters())
        {
            if (parameter.dtype != ScalarType.Float32)
            {
                throw new InvalidOperationException(
                    $"Mixed bf16 training needs a float32 model; parameter '{name}' is {parameter.dtype}.");
            }
            // clone keeps the memory order (channels-last weights stay channels-last, so the fused step can take them).
            var master = new Parameter(parameter.detach().clone(), requires_grad: true);
            _ = master.DetachFromDisposeScope();
            _masters[name] = master;
        }
    }

    /// <summary>State-dict names of every parameter and buffer of a normalisation layer.</summary>
    private HashSet<string> NormTensorNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (prefix, module) in _model.named_modules())
        {
            if (!ParameterGroups.IsNorm(module))
            {
                continue;
            }
            foreach (var (local, _) in module.named_parameters(recurse: false))
            {
                names.Add(prefix + "." + local);
            }
            foreach (var (local, _) in module.named_buffers(recurse: false))
            {
                names.Add(prefix + "." + local);
            }
        }
        return names;
    }
}
