using Experiments.Runner;
using Microsoft.Testing.Extensions;
using Microsoft.Testing.Platform.Builder;
using Microsoft.Testing.Platform.Capabilities.TestFramework;
using Microsoft.Testing.Platform.Helpers;

namespace Experiments.Testing;

/// <summary>
/// The entry point of an experiment project built with <c>ExperimentsTestPlatform</c>: the runner's commands as before
/// (<c>dotnet run</c>, <c>dotnet run -- list</c>, the <c>worker</c> processes), and a Microsoft.Testing.Platform test
/// application when the arguments are options, which is how <c>dotnet test</c> and IDEs start it.
/// </summary>
public static class ExperimentTestApp
{
    public static async Task<int> RunAsync(string[] args, IReadOnlyList<ExperimentDefinition> experiments)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(experiments);
        if (!IsTestPlatformInvocation(args))
        {
            return await ExperimentApp.RunAsync(args, experiments).ConfigureAwait(false);
        }

        var builder = await TestApplication.CreateBuilderAsync(args).ConfigureAwait(false);
        var trx = new TrxCapability();
        builder.RegisterTestFramework(
            _ => new TestFrameworkCapabilities(trx),
            (_, services) => new TrialTestFramework(experiments, trx, services));
        builder.CommandLine.AddProvider(() => new TrialOptions());
        builder.AddTreeNodeFilterService(new TrialOptions());
        builder.AddTrxReportProvider();
        using var app = await builder.BuildAsync().ConfigureAwait(false);
        return await app.RunAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// No arguments, or a command first (<c>run</c>, <c>list</c>, <c>worker</c>…), is the runner's command line; options
    /// first (<c>--server</c>, <c>--report-trx</c>, <c>--list-tests</c>…) are the test platform's.
    /// </summary>
    internal static bool IsTestPlatformInvocation(string[] args) => args.Length > 0 && args[0].StartsWith('-');
}
