using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using Experiments.Runner.Filtering;

namespace Experiments.Runner.Cli;

/// <summary>Options that several commands share, so they are spelled and described the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string?> Experiment() => new("--experiment", "-e")
    {
        Description = "Only this experiment (by name, case-insensitive); all experiments of the project when omitted.",
    };

    public static Option<string?> Filter() => new("--filter", "-f")
    {
        Description = TrialFilter.Syntax,
    };

    public static Option<string?> Store() => new("--store")
    {
        Description = "The results store: a SQLite file, or a PostgreSQL server as postgres://user:password@host:port/database "
            + $"or Host=…;Database=… (default: ${StoreAccess.EnvironmentVariable}, else <project>/{ProjectSettings.DefaultStoreRelativePath}).",
    };

    public static Option<string?> ReportDirectory() => new("--output", "-o")
    {
        Description = $"Folder for reports (default: <project>/{ProjectSettings.DefaultReportFolder}).",
    };

    /// <summary>
    /// Makes an integer option's value a usage error (exit code 2, a message naming the option and the value) when it
    /// is not a whole number in range: checked on the text, so a value the parser cannot convert never reaches a
    /// typed read (which throws). <paramref name="tooSmall"/> words the error for a number below the minimum.
    /// </summary>
    public static T WholeNumber<T>(T option, int minimum, Func<int, string>? tooSmall = null)
        where T : Option
    {
        option.Validators.Add(result =>
        {
            if (WholeNumberError(option.Name, result.Tokens, minimum, tooSmall) is { } error)
            {
                result.AddError(error);
            }
        });
        return option;
    }

    internal static string? WholeNumberError(string name, IReadOnlyList<Token> tokens, int minimum, Func<int, string>? tooSmall = null)
    {
        if (tokens.Count == 0)
        {
            return null;
        }
        var text = tokens[^1].Value;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value >= minimum ? null : tooSmall?.Invoke(value) ?? $"{name} {value} is too small: give a whole number of at least {minimum}.";
        }
        return BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big)
            ? big > 0
                ? $"{name} '{text}' is too large: give a whole number from {minimum} to {int.MaxValue}."
                : $"{name} '{text}' is too small: give a whole number of at least {minimum}."
            : $"{name} '{text}' is not a whole number: give a whole number of at least {minimum}.";
    }
}
