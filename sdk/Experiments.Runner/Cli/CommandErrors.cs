using Experiments.Results;

namespace Experiments.Runner.Cli;

/// <summary>
/// Turns a usage mistake or a store error into a one-line message on stderr and its exit code (2 or 3, see
/// <see cref="ExitCodes"/>), instead of a stack trace.
/// </summary>
internal static class CommandErrors
{
    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (ExitCodeOf(e) is { } code)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return code;
        }
    }

    public static async Task<int> GuardAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (ExitCodeOf(e) is { } code)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return code;
        }
    }

    /// <summary>The exit code of an error that is the user's to fix, or null for a bug (which keeps its stack trace).</summary>
    private static int? ExitCodeOf(Exception e) => e switch
    {
        CliException cli => cli.ExitCode,
        // A store used directly (merge, the store classes): its messages name the store already.
        ResultStoreException => ExitCodes.StoreError,
        _ => null,
    };
}
