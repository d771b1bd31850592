namespace Experiments.Results;

/// <summary>
/// A results store cannot be opened or used: the message names the store (never its password) and says what is
/// wrong. The runner prints it as one line, without a stack trace.
/// </summary>
public sealed class ResultStoreException : InvalidOperationException
{
    public ResultStoreException(string message)
        : base(message)
    {
    }

    public ResultStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
