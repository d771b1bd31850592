namespace Experiments.Runner.Cli;

/// <summary>A mistake in how the command was called; printed without a stack trace, exit code 2.</summary>
internal sealed class CliException : Exception
{
    public const int ExitCode = 2;

    public CliException(string message)
        : base(message)
    {
    }
}
