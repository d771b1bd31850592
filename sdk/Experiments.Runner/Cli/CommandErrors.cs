namespace Experiments.Runner.Cli;

/// <summary>Turns a usage mistake into a one-line message on stderr and exit code 2, instead of a stack trace.</summary>
internal static class CommandErrors
{
    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return CliException.ExitCode;
        }
    }

    public static async Task<int> GuardAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return CliException.ExitCode;
        }
    }
}
