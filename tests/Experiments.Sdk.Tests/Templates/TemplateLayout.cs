using Experiments.Sdk.Tests.Infrastructure;

namespace Experiments.Sdk.Tests.Templates;

/// <summary>Paths of the <c>dotnet new</c> templates in the repository, and what the sample sweep produces.</summary>
internal static class TemplateLayout
{
    public static string Directory { get; } = Path.Combine(RepoLayout.Root, "templates");

    public static string Project { get; } = Path.Combine(Directory, "Experiments.Templates.csproj");

    public static string ExperimentFolder { get; } = Path.Combine(Directory, "content", "experiment");

    public static string ReportFolder { get; } = Path.Combine(Directory, "content", "experiment-report");

    /// <summary>The copy that <c>experiment-report</c> creates.</summary>
    public static string ReportTemplateCopy { get; } = Path.Combine(ReportFolder, "report.sbn");

    /// <summary>The default report template it is a copy of.</summary>
    public static string DefaultReportTemplate { get; } = Path.Combine(RepoLayout.Root, "sdk", "Experiments.Reports", "Markdown", "Templates", "report.sbn");

    /// <summary>The sample declaration's class: the name of its report and CSV files.</summary>
    public const string SampleExperiment = "LogisticSweep";

    /// <summary>2 learning rates × 2 epoch counts × 2 repeats.</summary>
    public const int SampleTrialCount = 8;
}
