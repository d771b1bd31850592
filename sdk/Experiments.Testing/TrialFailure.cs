namespace Experiments.Testing;

/// <summary>
/// A failed trial's error as the store keeps it, carried to the test platform as the failure's exception: the reason
/// as its message, the rest (the trial's stack trace, the worker's last stderr lines) where a stack trace is shown.
/// </summary>
internal sealed class TrialFailure : Exception
{
    private readonly string? _details;

    public TrialFailure(string error)
        : base(FirstLine(error, out var rest)) => _details = rest;

    public override string? StackTrace => _details;

    public override string ToString() => _details is null ? Message : $"{Message}{Environment.NewLine}{_details}";

    private static string FirstLine(string text, out string? rest)
    {
        var newline = text.IndexOf('\n');
        rest = newline < 0 ? null : text[(newline + 1)..].TrimEnd();
        return (newline < 0 ? text : text[..newline]).TrimEnd('\r');
    }
}
