using Spectre.Console;

namespace Experiments.Runner.Terminal;

/// <summary>Whether output goes to a person at a terminal (live display, tables) or to a file or pipe (plain lines).</summary>
internal static class ConsoleMode
{
    public static bool IsInteractive
        => !Console.IsOutputRedirected
            && AnsiConsole.Profile.Capabilities.Ansi
            && AnsiConsole.Profile.Capabilities.Interactive;
}
