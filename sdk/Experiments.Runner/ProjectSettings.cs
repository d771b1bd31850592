using System.Reflection;
using Experiments.Results;

namespace Experiments.Runner;

/// <summary>
/// Where a project's results and reports live and which build is running, read from the entry assembly: the
/// MSBuild SDK stamps <c>[assembly: AssemblyMetadata("Experiments.…", …)]</c> and embeds the user's report template.
/// </summary>
internal sealed record ProjectSettings(
    string ProjectDirectory,
    string StorePath,
    string ReportDirectory,
    string? ReportTemplate,
    BuildIdentity Build,
    string? EntryAssemblyPath)
{
    public const string ProjectDirectoryKey = "Experiments.ProjectDirectory";
    public const string StorePathKey = "Experiments.StorePath";
    public const string ReportDirectoryKey = "Experiments.ReportDirectory";
    public const string ReportTemplateResource = "Experiments.ReportTemplate.sbn";
    public const string ReportTemplateFileKey = "Experiments.ReportTemplateFile";

    /// <summary>The default store location, relative to the project directory.</summary>
    public const string DefaultStoreRelativePath = ".experiments/results.db";

    public const string DefaultReportFolder = "reports";

    public static ProjectSettings FromEntryAssembly() => FromAssembly(Assembly.GetEntryAssembly());

    public static ProjectSettings FromAssembly(Assembly? assembly)
    {
        var metadata = assembly?.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Where(a => a.Value is { Length: > 0 })
            .GroupBy(a => a.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value!, StringComparer.Ordinal)
            ?? new Dictionary<string, string>();

        var project = Path.GetFullPath(metadata.GetValueOrDefault(ProjectDirectoryKey) ?? Directory.GetCurrentDirectory());
        var store = Resolve(project, metadata.GetValueOrDefault(StorePathKey) ?? DefaultStoreRelativePath);
        var reports = Resolve(project, metadata.GetValueOrDefault(ReportDirectoryKey) ?? DefaultReportFolder);
        return new ProjectSettings(project, store, reports, ReadTemplate(assembly), BuildOf(assembly), assembly?.Location)
        {
            ReportTemplateFile = metadata.GetValueOrDefault(ReportTemplateFileKey) is { } file ? Resolve(project, file) : null,
        };
    }

    /// <summary>Where the custom report template came from (for error messages); null for the default template.</summary>
    public string? ReportTemplateFile { get; init; }

    /// <summary>
    /// The <c>--store</c> value as given, when there was one: it wins over <c>EXPERIMENTS_STORE</c> (see
    /// <c>Cli.StoreAccess</c>). It may be a server location with a password: never print it.
    /// </summary>
    public string? StoreOption { get; init; }

    /// <summary>Applies <c>--store</c> / <c>--output</c>; relative paths are taken from the current directory, like any CLI path.</summary>
    public ProjectSettings WithOverrides(string? storePath, string? reportDirectory) => this with
    {
        StoreOption = storePath is { Length: > 0 } ? storePath : StoreOption,
        // A server location is not a path (artifacts stay in the project's folder then).
        StorePath = storePath is { Length: > 0 } && !Experiments.Store.Postgres.PostgresLocation.IsPostgres(storePath)
            ? Path.GetFullPath(storePath)
            : StorePath,
        ReportDirectory = reportDirectory is { Length: > 0 } ? Path.GetFullPath(reportDirectory) : ReportDirectory,
    };

    /// <summary>Per-trial artifact folders live next to the store, so one project keeps its results in one place.</summary>
    public string ArtifactsDirectory => Path.Combine(Path.GetDirectoryName(StorePath) ?? ProjectDirectory, "artifacts");

    private static string Resolve(string project, string path) => Path.GetFullPath(Path.Combine(project, path));

    private static string? ReadTemplate(Assembly? assembly)
    {
        using var stream = assembly?.GetManifestResourceStream(ReportTemplateResource);
        if (stream is null)
        {
            return null;
        }
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The module version id changes with every compilation that changes the code, so it tells builds apart even when
    /// the version number does not; the informational version carries the source revision when SourceLink sets it.
    /// </summary>
    private static BuildIdentity BuildOf(Assembly? assembly)
    {
        if (assembly is null)
        {
            return new BuildIdentity("unknown", "unknown");
        }
        var buildId = assembly.ManifestModule.ModuleVersionId.ToString("N")[..8];
        var revision = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        return new BuildIdentity(buildId, revision);
    }
}
