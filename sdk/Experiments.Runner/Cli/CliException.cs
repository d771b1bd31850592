namespace Experiments.Runner.Cli;

/// <summary>
/// The exit codes of every command: 0 all passed, 1 some trial failed (or a report could not be written), 2 a usage,
/// filter or set-up mistake, 3 a store that cannot be opened, read or written.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int TrialsFailed = 1;
    public const int Usage = 2;
    public const int StoreError = 3;
}

/// <summary>A mistake in how the command was called; printed without a stack trace, exit code 2.</summary>
internal class CliException : Exception
{
    public CliException(string message)
        : this(message, ExitCodes.Usage)
    {
    }

    protected CliException(string message, int exitCode, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}

/// <summary>
/// The results store cannot be used (cannot be opened, is not a store, is of a newer schema, refused a write, the disk
/// is full, the server is gone): one line that names the store (never a password), exit code 3.
/// </summary>
internal sealed class StoreErrorException : CliException
{
    public StoreErrorException(string message, Exception? innerException = null)
        : base(message, ExitCodes.StoreError, innerException)
    {
    }
}
