using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Experiments.Runner.Cli.Deploy;

/// <summary>
/// <c>deploy slurm</c> / <c>deploy kubernetes</c>: write the job file that runs this app's sweep on a cluster engine,
/// many tasks sharing one store. Nothing is submitted: the user reviews the file and submits it.
/// </summary>
internal static partial class DeployCommand
{
    public static Command Create(IReadOnlyList<ExperimentDefinition> experiments, ProjectSettings settings)
    {
        Experiments = experiments;
        return new Command("deploy", "Write a cluster job that runs the sweep in many tasks: a Slurm job array or a Kubernetes Indexed Job.")
        {
            Slurm(settings),
            Kubernetes(settings),
        };
    }

    // The app's experiments: shard mode cannot run a successive-halving search (its promotions need one store).
    private static IReadOnlyList<ExperimentDefinition> Experiments { get; set; } = [];

    /// <summary>The options both targets share, read back into a <see cref="DeployPlan"/>.</summary>
    private sealed class SharedOptions
    {
        public Option<int> Tasks { get; } = Positive(new Option<int>("--tasks", "-n")
        {
            Description = "Tasks (array tasks, completion indexes); in shard mode, the number of shards.",
            DefaultValueFactory = _ => 4,
        });

        public Option<int?> Parallel { get; } = Positive(new Option<int?>("--parallel", "-p")
        {
            Description = "Tasks running at once (default: all of them).",
        });

        public Option<DeployMode> Mode { get; } = new("--mode")
        {
            Description = "claim: every task claims from the shared store until none is left (balances the load; needs a "
                + "shared store such as PostgreSQL). shard: task K runs run --shard K/N (for one store per task, merged afterwards).",
            DefaultValueFactory = _ => DeployMode.Claim,
        };

        public Option<int> Gpus { get; } = NotNegative(new Option<int>("--gpus")
        {
            Description = "GPUs per task (one worker per GPU); 0: CPU only.",
        });

        public Option<string?> Memory { get; } = new("--mem") { Description = "Memory per task (Slurm: 8G; Kubernetes: 8Gi)." };

        public Option<string?> Store { get; } = new("--store")
        {
            Description = "The store every task uses, written into the job file; without it, the store comes from EXPERIMENTS_STORE "
                + "in the tasks' environment. Never a password: put a connection string in the environment or a Secret.",
        };

        public Option<string?> Experiment { get; } = CommonOptions.Experiment();

        public Option<string?> Filter { get; } = CommonOptions.Filter();

        public Option<int?> Lease { get; } = new("--lease")
        {
            Description = "Passed on to run --lease: seconds without a heartbeat before a trial of a dead task on another machine is claimed again.",
        };

        public Option<string?> Out { get; } = new("--out")
        {
            Description = "Write the job file here (default: print it).",
        };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Tasks, Parallel, Mode, Gpus, Memory, Store, Experiment, Filter, Lease, Out })
            {
                command.Options.Add(option);
            }
        }

        public DeployPlan Read(ParseResult result)
        {
            var tasks = result.GetValue(Tasks);
            if (result.GetValue(Mode) == DeployMode.Shard
                && ExperimentSelection.Select(DeployCommand.Experiments, result.GetValue(Experiment)).FirstOrDefault(e => e.Search.IsAdaptive) is { } adaptive)
            {
                throw new CliException(
                    $"{adaptive.Name} is a successive-halving search: its promotions compare results across all tasks, so it needs "
                    + "--mode claim on one shared store, not --mode shard.");
            }
            return new DeployPlan(
                tasks,
                Math.Min(tasks, result.GetValue(Parallel) ?? tasks),
                result.GetValue(Mode),
                DeployPlan.CheckStore(result.GetValue(Store)),
                result.GetValue(Experiment),
                result.GetValue(Filter),
                result.GetValue(Lease),
                result.GetValue(Gpus));
        }
    }

    private static Command Slurm(ProjectSettings settings)
    {
        var shared = new SharedOptions();
        var cpus = Positive(new Option<int>("--cpus-per-task", "-c") { Description = "CPUs per task.", DefaultValueFactory = _ => 1 });
        var time = new Option<string?>("--time", "-t") { Description = "Time limit per task (e.g. 02:00:00)." };
        var partition = new Option<string?>("--partition") { Description = "The Slurm partition." };
        var jobName = new Option<string?>("--job-name") { Description = "The job's name (default: the project folder's name)." };
        var log = new Option<string?>("--log")
        {
            Description = "Each task's stdout and stderr (sbatch --output; default: <project>/.experiments/slurm/%x-%A_%a.out).",
        };
        var command = new Command("slurm", "Write an sbatch script for a Slurm job array: one array task per --tasks, each running this app's run.")
        {
            cpus, time, partition, jobName, log,
        };
        shared.AddTo(command);
        command.SetAction(result => CommandErrors.Guard(() =>
        {
            var plan = shared.Read(result);
            var project = Path.GetFileName(settings.ProjectDirectory.TrimEnd(Path.DirectorySeparatorChar));
            // Shard mode without a store: no database to share, so each task gets its own file, merged afterwards.
            var perTask = plan.Mode == DeployMode.Shard && plan.Store is null
                ? Path.Combine(Path.GetDirectoryName(settings.StorePath)!, "shards")
                : null;
            var options = new SlurmOptions(
                result.GetValue(jobName) ?? project,
                result.GetValue(cpus),
                result.GetValue(shared.Memory),
                result.GetValue(time),
                result.GetValue(partition),
                Path.GetFullPath(result.GetValue(log) ?? Path.Combine(settings.ProjectDirectory, ".experiments", "slurm", "%x-%A_%a.out")),
                Directory.GetCurrentDirectory(),
                perTask);
            var outPath = result.GetValue(shared.Out);
            var script = SlurmScript.Render(plan, options, DeployPlan.AppCommand(settings), project, outPath is null ? "<this file>" : Path.GetFileName(outPath));
            // sbatch does not create the log folder; a missing one fails every task silently.
            Directory.CreateDirectory(Path.GetDirectoryName(options.Log)!);
            return Write(script, outPath);
        }));
        return command;
    }

    private static Command Kubernetes(ProjectSettings settings)
    {
        var shared = new SharedOptions();
        var image = new Option<string>("--image")
        {
            Description = "The container image holding the built app (e.g. registry.example.com/sweeps/quickstart:1.0).",
            Required = true,
        };
        var name = new Option<string?>("--name") { Description = "The Job's name (default: the project folder's name, in lower case)." };
        var app = new Option<string?>("--command")
        {
            Description = "How the image starts the app, as words separated by spaces (default: dotnet /app/<the app's dll>).",
        };
        var backoff = NotNegative(new Option<int>("--backoff-limit-per-index")
        {
            Description = "Retries of a failed index before the Job gives it up.",
            DefaultValueFactory = _ => 3,
        });
        var cpus = new Option<string?>("--cpus") { Description = "CPUs per pod, requested and limited (e.g. 4, 500m)." };
        var secret = new Option<string>("--secret")
        {
            Description = "The Secret holding the store's connection string (EXPERIMENTS_STORE in the pods).",
            DefaultValueFactory = _ => "experiments-store",
        };
        var secretKey = new Option<string>("--secret-key")
        {
            Description = "The key of the connection string in the Secret.",
            DefaultValueFactory = _ => "connection",
        };
        var command = new Command("kubernetes", "Write a Kubernetes Indexed Job manifest: one completion index per --tasks, each pod running this app's run.")
        {
            image, name, app, backoff, cpus, secret, secretKey,
        };
        shared.AddTo(command);
        command.SetAction(result => CommandErrors.Guard(() =>
        {
            var plan = shared.Read(result);
            var project = Path.GetFileName(settings.ProjectDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var jobName = result.GetValue(name) ?? DnsLabel().Replace(project.ToLowerInvariant(), "-").Trim('-');
            if (!DnsName().IsMatch(jobName) || jobName.Length > 63)
            {
                throw new CliException($"--name '{jobName}' is not a Kubernetes name: lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit.");
            }
            var assembly = settings.EntryAssemblyPath is { Length: > 0 } path ? Path.GetFileName(path) : project + ".dll";
            var options = new KubernetesOptions(
                jobName,
                result.GetValue(image)!,
                result.GetValue(app) is { Length: > 0 } text
                    ? text.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    : ["dotnet", "/app/" + assembly],
                result.GetValue(backoff),
                result.GetValue(cpus),
                result.GetValue(shared.Memory),
                result.GetValue(secret)!,
                result.GetValue(secretKey)!);
            return Write(KubernetesJob.Render(plan, options), result.GetValue(shared.Out));
        }));
        return command;
    }

    private static int Write(string text, string? path)
    {
        if (path is null)
        {
            Console.Out.Write(text);
            return 0;
        }
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        Console.Out.WriteLine($"Wrote {full}");
        return 0;
    }

    private static T Positive<T>(T option)
        where T : Option
        => CommonOptions.WholeNumber(option, 1);

    private static T NotNegative<T>(T option)
        where T : Option
        => CommonOptions.WholeNumber(option, 0);

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex DnsName();
}
