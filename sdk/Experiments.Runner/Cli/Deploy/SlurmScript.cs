using System.Globalization;
using System.Text.RegularExpressions;
using Scriban;
using Scriban.Runtime;

namespace Experiments.Runner.Cli.Deploy;

/// <summary>The options of <c>deploy slurm</c> beyond the shared <see cref="DeployPlan"/>.</summary>
internal sealed record SlurmOptions(
    string JobName,
    int CpusPerTask,
    string? Memory,
    string? Time,
    string? Partition,
    string Log,
    string WorkingDirectory,
    string? PerTaskFolder);

/// <summary>
/// Writes the <c>sbatch</c> script of a job array (template <c>slurm.sbatch.sbn</c>): one array task per
/// <see cref="DeployPlan.Tasks"/>, at most <see cref="DeployPlan.Parallel"/> at once, each running the app's <c>run</c>.
/// </summary>
internal static partial class SlurmScript
{
    private const string TemplateResource = "Experiments.Runner.Deploy.slurm.sbatch.sbn";

    private static readonly Lazy<Template> Template = new(LoadTemplate);

    public static string Render(DeployPlan plan, SlurmOptions options, IReadOnlyList<string> app, string project, string scriptName)
    {
        var perTaskStore = options.PerTaskFolder is { } folder ? Path.Combine(folder, $"shard-{DeployPlan.TaskIndex}.db") : null;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [DeployPlan.TaskIndex] = "SLURM_ARRAY_TASK_ID",
            [DeployPlan.TaskCount] = "SLURM_ARRAY_TASK_COUNT",
        };
        var command = app.Select(ShellWords.Quote)
            .Concat(plan.RunArguments(perTaskStore).Select(a => ShellWords.QuoteExpanding(a, variables)));

        var model = new ScriptObject
        {
            ["project"] = project,
            ["script_name"] = scriptName,
            ["directives"] = Directives(plan, options).ToArray(),
            ["mode"] = plan.Mode == DeployMode.Claim ? "claim" : "shard",
            ["tasks"] = plan.Tasks,
            ["per_task_store"] = options.PerTaskFolder is not null,
            ["per_task_folder"] = options.PerTaskFolder is { } f ? ShellWords.Quote(f) : string.Empty,
            ["merge_command"] = options.PerTaskFolder is { } m
                ? string.Join(' ', app.Select(ShellWords.Quote).Append("merge").Append(ShellWords.Quote(m) + "/shard-*.db")
                    .Append("--into").Append(ShellWords.Quote(Path.Combine(m, "all.db"))))
                : string.Empty,
            ["store_text"] = options.PerTaskFolder is not null
                ? "one SQLite file per task, " + Path.Combine(options.PerTaskFolder, "shard-<task>.db") + "."
                : plan.Store is not null
                    ? $"{plan.Store} (given to deploy with --store)."
                    : "EXPERIMENTS_STORE as set where you run sbatch (it passes the environment on), else the project's default.",
            ["command"] = string.Join(' ', command),
        };
        var context = new TemplateContext { StrictVariables = true, MemberFilter = static _ => false, TemplateLoader = null, NewLine = "\n" };
        context.PushCulture(CultureInfo.InvariantCulture);
        context.PushGlobal(model);
        return Template.Value.Render(context);
    }

    private static IEnumerable<string> Directives(DeployPlan plan, SlurmOptions options)
    {
        yield return "--job-name=" + Checked("--job-name", options.JobName);
        yield return string.Create(CultureInfo.InvariantCulture, $"--array=0-{plan.Tasks - 1}%{plan.Parallel}");
        yield return "--ntasks=1";
        yield return string.Create(CultureInfo.InvariantCulture, $"--cpus-per-task={options.CpusPerTask}");
        if (plan.Gpus > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"--gres=gpu:{plan.Gpus}");
        }
        if (options.Memory is { } memory)
        {
            yield return "--mem=" + Checked("--mem", memory);
        }
        if (options.Time is { } time)
        {
            yield return "--time=" + Checked("--time", time);
        }
        if (options.Partition is { } partition)
        {
            yield return "--partition=" + Checked("--partition", partition);
        }
        yield return "--output=" + Checked("--log", options.Log);
        // A requeued task appends to its log instead of replacing the first run's.
        yield return "--open-mode=append";
        yield return "--chdir=" + Checked("--chdir", options.WorkingDirectory);
        // Node failure or preemption puts the task back in the queue; the store makes the second run resume.
        yield return "--requeue";
        // Room for the run's own SIGTERM handling (interrupted trials recorded) before a time limit kills it.
        yield return "--signal=B:TERM@60";
    }

    /// <summary>Slurm reads <c>#SBATCH</c> lines itself, without a shell: a value must be one word on one line.</summary>
    private static string Checked(string option, string value)
        => SbatchWord().IsMatch(value)
            ? value
            : throw new CliException($"{option} '{value}' cannot go on an #SBATCH line: no spaces, quotes or line breaks.");

    [GeneratedRegex("^[^\\s'\"\\\\]+$")]
    private static partial Regex SbatchWord();

    private static Template LoadTemplate()
    {
        using var stream = typeof(SlurmScript).Assembly.GetManifestResourceStream(TemplateResource)
            ?? throw new InvalidOperationException($"The embedded resource {TemplateResource} is missing.");
        using var reader = new StreamReader(stream);
        var template = Scriban.Template.Parse(reader.ReadToEnd());
        return template.HasErrors
            ? throw new InvalidOperationException($"{TemplateResource}: {string.Join("; ", template.Messages)}")
            : template;
    }
}
