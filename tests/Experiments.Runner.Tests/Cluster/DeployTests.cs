using System.Text.RegularExpressions;
using Experiments.Results;
using Experiments.Runner.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Experiments.Runner.Tests.Cluster;

/// <summary>
/// <c>deploy slurm</c> and <c>deploy kubernetes</c> as data: the script's directives and command, the manifest parsed
/// back; and the pods' command lines run here, one per completion index, against one store.
/// </summary>
public sealed partial class DeployTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private async Task<RunResult> FixtureAsync(params string[] args)
    {
        using var process = FixtureApp.Start(_workspace.Directory, _workspace.Environment, args);
        return await process.WaitAsync();
    }

    [Fact]
    public async Task Slurm_script_is_a_job_array_with_the_resources_asked_for_and_a_claiming_run()
    {
        var deploy = await FixtureAsync("deploy", "slurm", "--tasks", "10", "--parallel", "3", "--cpus-per-task", "4", "--gpus", "2",
            "--mem", "16G", "--time", "04:00:00", "--partition", "gpu", "--store", "results.db", "-e", "Fast", "--lease", "120");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var script = deploy.StandardOutput;
        Assert.StartsWith("#!/bin/bash\n", script);
        var directives = script.Split('\n').Where(l => l.StartsWith("#SBATCH ", StringComparison.Ordinal)).Select(l => l[8..]).ToArray();
        Assert.Contains("--array=0-9%3", directives);
        Assert.Contains("--cpus-per-task=4", directives);
        Assert.Contains("--gres=gpu:2", directives);
        Assert.Contains("--mem=16G", directives);
        Assert.Contains("--time=04:00:00", directives);
        Assert.Contains("--partition=gpu", directives);
        Assert.Contains("--requeue", directives);
        Assert.Contains($"--chdir={_workspace.Directory}", directives);
        var command = script.Split('\n').Single(l => l.StartsWith("exec ", StringComparison.Ordinal));
        Assert.Contains(FixtureApp.AssemblyPath, command);
        Assert.EndsWith(
            $" run --store {Path.Combine(_workspace.Directory, "results.db")} --experiment Fast --lease 120 --device cuda:0,cuda:1", command);
        Assert.DoesNotContain("--shard", command);
    }

    [Fact]
    public async Task Slurm_script_in_shard_mode_gives_each_task_its_shard_and_its_own_store_and_says_how_to_merge()
    {
        var deploy = await FixtureAsync("deploy", "slurm", "--tasks", "4", "--mode", "shard");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var script = deploy.StandardOutput;
        Assert.Contains("#SBATCH --array=0-3%4\n", script);
        Assert.Contains(""" run --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" --store """, script);
        Assert.Matches("""--store "[^"\n]+/shard-\${SLURM_ARRAY_TASK_ID}\.db"\n""", script);
        Assert.Matches(@"#   \S+ exec \S+ merge \S+/shard-\*\.db --into \S+/all\.db", script);
    }

    [Theory]
    [InlineData("--tasks", "0", "at least 1")]
    [InlineData("--parallel", "-2", "at least 1")]
    [InlineData("--time", "1 day", "cannot go on an #SBATCH line")]
    [InlineData("--store", "postgres://user:secret@db/experiments", "password")]
    public async Task Bad_slurm_options_are_usage_errors_naming_the_value(string option, string value, string reason)
    {
        var deploy = await FixtureAsync("deploy", "slurm", option, value);

        Assert.Equal(2, deploy.ExitCode);
        Assert.Contains(reason, deploy.StandardError + deploy.StandardOutput);
        Assert.DoesNotContain("secret@", deploy.StandardOutput);
    }

    [Fact]
    public async Task Kubernetes_manifest_parses_back_into_an_indexed_job_with_the_options_asked_for()
    {
        var path = Path.Combine(_workspace.Directory, "job.yaml");
        var deploy = await FixtureAsync("deploy", "kubernetes", "--image", "registry.example.com/sweeps/fixture:1.2", "--tasks", "6",
            "--parallel", "2", "--gpus", "1", "--cpus", "4", "--mem", "8Gi", "--backoff-limit-per-index", "2", "--mode", "shard",
            "--secret", "sweep-db", "--secret-key", "url", "--out", path);

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var job = KubernetesYaml.Deserialize<V1Job>(File.ReadAllText(path));
        Assert.Equal(("batch/v1", "Job"), (job.ApiVersion, job.Kind));
        Assert.Equal("Indexed", job.Spec.CompletionMode);
        Assert.Equal((6, 2, 2), (job.Spec.Completions, job.Spec.Parallelism, job.Spec.BackoffLimitPerIndex));
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        var container = Assert.Single(job.Spec.Template.Spec.Containers);
        Assert.Equal("registry.example.com/sweeps/fixture:1.2", container.Image);
        Assert.Equal(["dotnet", "/app/RunnerFixture.dll"], container.Command);
        Assert.Equal(["run", "--shard", "$(JOB_COMPLETION_INDEX)/6", "--device", "cuda:0"], container.Args);
        var env = Assert.Single(container.Env);
        Assert.Equal("EXPERIMENTS_STORE", env.Name);
        Assert.Equal(("sweep-db", "url"), (env.ValueFrom.SecretKeyRef.Name, env.ValueFrom.SecretKeyRef.Key));
        foreach (var resources in new[] { container.Resources.Requests, container.Resources.Limits })
        {
            Assert.Equal("1", resources["nvidia.com/gpu"].ToString());
            Assert.Equal("4", resources["cpu"].ToString());
            Assert.Equal("8Gi", resources["memory"].ToString());
        }
    }

    [Fact]
    public async Task Kubernetes_manifest_without_gpus_asks_for_none_and_claims_by_default()
    {
        var deploy = await FixtureAsync("deploy", "kubernetes", "--image", "fixture:1", "--tasks", "3");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var job = KubernetesYaml.Deserialize<V1Job>(deploy.StandardOutput);
        var container = Assert.Single(job.Spec.Template.Spec.Containers);
        Assert.Equal(["run"], container.Args);
        Assert.Null(container.Resources);
        Assert.DoesNotContain("nvidia.com/gpu", deploy.StandardOutput);
    }

    [Theory]
    [InlineData("shard")]
    [InlineData("claim")]
    public async Task The_pods_command_lines_run_every_trial_exactly_once_against_one_store(string mode)
    {
        const int Tasks = 3;
        var deploy = await FixtureAsync("deploy", "kubernetes", "--image", "fixture:1", "--tasks", $"{Tasks}", "--mode", mode,
            "--experiment", "Fast", "--store", _workspace.StorePath);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var container = KubernetesYaml.Deserialize<V1Job>(deploy.StandardOutput).Spec.Template.Spec.Containers.Single();

        // The pods, side by side: the image's command is this fixture; the arguments as Kubernetes expands them.
        var pods = Enumerable.Range(0, Tasks).Select(index =>
        {
            var environment = new Dictionary<string, string>(_workspace.Environment) { ["JOB_COMPLETION_INDEX"] = $"{index}" };
            var args = container.Args.Select(a => Expand(a, environment)).ToArray();
            return FixtureApp.Start(_workspace.Directory, environment, args);
        }).ToArray();
        var runs = await Task.WhenAll(pods.Select(p => p.WaitAsync()));
        foreach (var pod in pods)
        {
            pod.Dispose();
        }

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Equal(8, runs.Sum(r => r.Closing.Passed));
        if (mode == "shard")
        {
            Assert.Equal([3, 3, 2], runs.Select(r => r.Closing.Passed));
        }
        Assert.All(_workspace.Trials("Fast"), t => Assert.Equal(TrialStatus.Passed, t.Status));
        Assert.All(_workspace.Attempts("Fast").Values, a => Assert.Equal(1, a));
    }

    /// <summary>What the kubelet does to <c>$(NAME)</c> in a container's arguments.</summary>
    private static string Expand(string argument, IReadOnlyDictionary<string, string> environment)
        => Reference().Replace(argument, m => environment.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
