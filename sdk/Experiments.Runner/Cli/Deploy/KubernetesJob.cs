using System.Globalization;
using k8s;
using k8s.Models;

namespace Experiments.Runner.Cli.Deploy;

/// <summary>The options of <c>deploy kubernetes</c> beyond the shared <see cref="DeployPlan"/>.</summary>
internal sealed record KubernetesOptions(
    string Name,
    string Image,
    IReadOnlyList<string> Command,
    int BackoffLimitPerIndex,
    string? Cpus,
    string? Memory,
    string Secret,
    string SecretKey);

/// <summary>
/// The Indexed Job of <c>deploy kubernetes</c>, built from the Kubernetes API's typed models and written by its YAML
/// serializer: one completion index per task, the store's connection string from a Secret.
/// </summary>
internal static class KubernetesJob
{
    /// <summary>The variable Kubernetes sets to a pod's completion index in an Indexed Job.</summary>
    public const string IndexVariable = "JOB_COMPLETION_INDEX";

    /// <summary>The variable the runner reads its store from.</summary>
    public const string StoreVariable = "EXPERIMENTS_STORE";

    public static V1Job Build(DeployPlan plan, KubernetesOptions options)
    {
        // $(NAME) is expanded by Kubernetes from the container's environment, which holds the completion index.
        var arguments = plan.RunArguments()
            .Select(a => a
                .Replace(DeployPlan.TaskIndex, $"$({IndexVariable})", StringComparison.Ordinal)
                .Replace(DeployPlan.TaskCount, plan.Tasks.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
            .ToList();

        var requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        var limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        if (options.Cpus is { } cpus)
        {
            requests["cpu"] = limits["cpu"] = Quantity("--cpus", cpus);
        }
        if (options.Memory is { } memory)
        {
            requests["memory"] = limits["memory"] = Quantity("--mem", memory);
        }
        if (plan.Gpus > 0)
        {
            // Extended resources are requested through limits (a request, if given, must equal the limit).
            requests["nvidia.com/gpu"] = limits["nvidia.com/gpu"] = new ResourceQuantity(plan.Gpus.ToString(CultureInfo.InvariantCulture));
        }

        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta { Name = options.Name, Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "experiments" } },
            Spec = new V1JobSpec
            {
                CompletionMode = "Indexed",
                Completions = plan.Tasks,
                Parallelism = plan.Parallel,
                // A failed pod retries only its own index; the store makes the retry resume.
                BackoffLimitPerIndex = options.BackoffLimitPerIndex,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["job-name"] = options.Name } },
                    Spec = new V1PodSpec
                    {
                        // Required by backoffLimitPerIndex: the Job, not the kubelet, retries a failed index.
                        RestartPolicy = "Never",
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "experiments",
                                Image = options.Image,
                                Command = options.Command.ToList(),
                                Args = arguments,
                                Env =
                                [
                                    new V1EnvVar
                                    {
                                        Name = StoreVariable,
                                        ValueFrom = new V1EnvVarSource
                                        {
                                            SecretKeyRef = new V1SecretKeySelector { Name = options.Secret, Key = options.SecretKey },
                                        },
                                    },
                                ],
                                Resources = requests.Count == 0 ? null : new V1ResourceRequirements { Requests = requests, Limits = limits },
                            },
                        ],
                    },
                },
            },
        };
    }

    public static string Render(DeployPlan plan, KubernetesOptions options)
        => "# Indexed Job for the experiments, written by `deploy kubernetes`. Apply: kubectl apply -f <this file>\n"
            + $"# The store's connection string comes from Secret '{options.Secret}', key '{options.SecretKey}':\n"
            + $"#   kubectl create secret generic {options.Secret} --from-literal={options.SecretKey}='postgres://…'\n"
            + KubernetesYaml.Serialize(Build(plan, options)).TrimEnd('\n') + "\n";

    private static ResourceQuantity Quantity(string option, string value)
    {
        try
        {
            var quantity = new ResourceQuantity(value);
            _ = quantity.ToDecimal();
            return quantity;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new CliException($"{option} '{value}' is not a Kubernetes quantity (e.g. 2, 500m, 4Gi).");
        }
    }
}
