namespace Experiments.Runner.Filtering;

/// <summary>A filter that cannot be applied; the message is meant for the user as is.</summary>
public sealed class FilterException : Exception
{
    public FilterException(string message)
        : base(message)
    {
    }
}
