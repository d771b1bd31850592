namespace Experiments.Vision;

/// <summary>TorchSharp's native runtime could not be loaded; the message says why and where to read more.</summary>
public sealed class TorchRuntimeException : Exception
{
    public TorchRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
