using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Training;

/// <summary>
/// Mixed precision for the duration of a fit. TorchSharp 0.107 has no autocast (no <c>torch.autocast</c>, no
/// <c>GradScaler</c>), so fastai's fp16 <c>MixedPrecision</c> cannot be reproduced; what the device does support without
/// autocast is TF32 on CUDA (Ampere and newer): float32 tensors, tensor-core products with 10-bit mantissa inputs.
/// <see cref="MixedPrecision.Auto"/> turns it on for CUDA matrix products and cuDNN convolutions and restores the
/// previous flags afterwards; on the CPU everything stays float32. <see cref="MixedPrecision.Bf16"/> is mixed bf16 through
/// a bf16 copy of the weights (<see cref="MixedBf16Weights"/>), on either device.
/// </summary>
internal sealed class PrecisionScope : IDisposable
{
    private readonly bool _restore;
    private readonly bool _matmul;
    private readonly bool _cudnn;

    private PrecisionScope(string name, bool restore, bool matmul, bool cudnn)
    {
        Name = name;
        _restore = restore;
        _matmul = matmul;
        _cudnn = cudnn;
    }

    /// <summary>"fp32", "tf32" or "bf16-mixed".</summary>
    public string Name { get; }

    public static PrecisionScope Enter(Device device, MixedPrecision precision)
    {
        if (precision == MixedPrecision.Bf16)
        {
            // The bf16 copy of the weights does the arithmetic (MixedBf16Weights); fp32 products stay exact fp32.
            return new PrecisionScope("bf16-mixed", restore: false, false, false);
        }
        if (precision == MixedPrecision.Auto && device.type == DeviceType.CUDA)
        {
            bool matmul = backends.cuda.matmul.allow_tf32;
            bool cudnn = backends.cudnn.allow_tf32;
            backends.cuda.matmul.allow_tf32 = true;
            backends.cudnn.allow_tf32 = true;
            return new PrecisionScope("tf32", restore: true, matmul, cudnn);
        }
        if (precision == MixedPrecision.Off && device.type == DeviceType.CUDA)
        {
            bool matmul = backends.cuda.matmul.allow_tf32;
            bool cudnn = backends.cudnn.allow_tf32;
            backends.cuda.matmul.allow_tf32 = false;
            backends.cudnn.allow_tf32 = false;
            return new PrecisionScope("fp32", restore: true, matmul, cudnn);
        }
        return new PrecisionScope("fp32", restore: false, false, false);
    }

    public void Dispose()
    {
        if (_restore)
        {
            backends.cuda.matmul.allow_tf32 = _matmul;
            backends.cudnn.allow_tf32 = _cudnn;
        }
    }
}
