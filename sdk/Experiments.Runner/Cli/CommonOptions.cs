using System.CommandLine;
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
}
