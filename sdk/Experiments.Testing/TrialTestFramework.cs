using Experiments.Runner;
using Experiments.Runner.Cli;
using Experiments.Runner.Execution.Host;
using Experiments.Runner.Filtering;
using Microsoft.Testing.Platform.CommandLine;
using Microsoft.Testing.Platform.Extensions.Messages;
using Microsoft.Testing.Platform.Extensions.OutputDevice;
using Microsoft.Testing.Platform.Extensions.TestFramework;
using Microsoft.Testing.Platform.OutputDevice;
using Microsoft.Testing.Platform.Requests;
using Microsoft.Testing.Platform.Services;

namespace Experiments.Testing;

/// <summary>
/// The project's trials as a Microsoft.Testing.Platform test framework. Discovery lists the selected trials; a run is
/// the runner's own sweep (<see cref="SweepExecution"/>: store, worker processes, report) with a view that publishes
/// test node updates, so a trial passed earlier is reported passed from the store unless <c>--rerun</c> is given.
/// </summary>
internal sealed class TrialTestFramework : ITestFramework, IDataProducer, IOutputDeviceDataProducer
{
    private readonly IReadOnlyList<ExperimentDefinition> _experiments;
    private readonly TrxCapability _trx;
    private readonly ICommandLineOptions _options;
    private readonly IOutputDevice _output;

    public TrialTestFramework(IReadOnlyList<ExperimentDefinition> experiments, TrxCapability trx, IServiceProvider services)
    {
        _experiments = experiments;
        _trx = trx;
        _options = services.GetCommandLineOptions();
        _output = services.GetOutputDevice();
    }

    public string Uid => "Experiments.Testing";

    public string Version => typeof(TrialTestFramework).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    public string DisplayName => "Experiments";

    public string Description => "Runs an experiment project's trials as tests.";

    public Type[] DataTypesProduced => [typeof(TestNodeUpdateMessage)];

    public Task<bool> IsEnabledAsync() => Task.FromResult(true);

    public Task<CreateTestSessionResult> CreateTestSessionAsync(CreateTestSessionContext context)
        => Task.FromResult(new CreateTestSessionResult { IsSuccess = true });

    public Task<CloseTestSessionResult> CloseTestSessionAsync(CloseTestSessionContext context)
        => Task.FromResult(new CloseTestSessionResult { IsSuccess = true });

    public async Task ExecuteRequestAsync(ExecuteRequestContext context)
    {
        try
        {
            switch (context.Request)
            {
                case DiscoverTestExecutionRequest discover:
                    await DiscoverAsync(discover, context).ConfigureAwait(false);
                    break;
                case RunTestExecutionRequest run:
                    await RunAsync(run, context).ConfigureAwait(false);
                    break;
                default:
                    throw new NotSupportedException($"Request '{context.Request.GetType().Name}' is not supported.");
            }
        }
        finally
        {
            context.Complete();
        }
    }

    private async Task DiscoverAsync(DiscoverTestExecutionRequest request, ExecuteRequestContext context)
    {
        var view = new TestNodeSweepView(request.Session.SessionUid, context.MessageBus, this, _trx.IsEnabled, _ => { });
        var include = TrialSelection.IncludeOf(request.Filter);
        foreach (var (experiment, filter) in SelectExperiments())
        {
            var trials = filter.Select(experiment).Where(t => include?.Invoke(t) != false).ToList();
            if (trials.Count == 0)
            {
                continue;
            }
            view.PublishTree(experiment.Name, trials.Select(t => t.Id));
            foreach (var trial in trials)
            {
                view.Publish(experiment.Name, trial.Id, TrialNodes.ParametersOf(trial), [DiscoveredTestNodeStateProperty.CachedInstance]);
            }
        }
        await view.CompleteAsync().ConfigureAwait(false);
    }

    private async Task RunAsync(RunTestExecutionRequest run, ExecuteRequestContext context)
    {
        var devices = (Option(TrialOptions.Device) ?? "cpu").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var filterText = Option(TrialOptions.Filter)?.Trim();
        var request = new RunRequest(
            SelectExperiments(),
            filterText,
            ProjectSettings.FromEntryAssembly().WithOverrides(Option(TrialOptions.Store), null),
            _options.IsOptionSet(TrialOptions.Rerun),
            MaxTrials: null,
            Option(TrialOptions.Workers) is { } workers ? int.Parse(workers, System.Globalization.CultureInfo.InvariantCulture) : Math.Max(1, devices.Length),
            devices.Length == 0 ? ["cpu"] : devices,
            Shard.All,
            RunCommand.DefaultLease)
        {
            Include = TrialSelection.IncludeOf(run.Filter),
        };

        var view = new TestNodeSweepView(run.Session.SessionUid, context.MessageBus, this, _trx.IsEnabled, text => Display($"  ! {text}"));
        using var shutdown = new ShutdownSignal(RunCommand.CancelGrace);
        // The platform owns Ctrl+C: its cancellation stops the sweep as the first signal stops `run`.
        using var stopOnCancel = context.CancellationToken.Register(shutdown.Stop);
        SweepOutcome outcome;
        try
        {
            outcome = await SweepExecution.RunAsync(request, shutdown, sweep => sweep(view)).ConfigureAwait(false);
        }
        finally
        {
            await view.CompleteAsync().ConfigureAwait(false);
        }

        var tally = outcome.Tally;
        var rest = new TestNodeSweepView(run.Session.SessionUid, context.MessageBus, this, _trx.IsEnabled, _ => { });
        foreach (var plan in outcome.Plans)
        {
            var notReady = tally.NotReady.FirstOrDefault(n => n.Experiment == plan.Experiment.Name).Reason;
            foreach (var trial in plan.Candidates.Where(t => !view.WasReported(t.Experiment, t.Id)))
            {
                rest.Skipped(trial, notReady is not null ? $"not run, stays pending: {notReady}"
                    : shutdown.IsStopping ? "not run: the run was stopped; it runs on the next run"
                    : "not run: another run held it or had just finished it");
            }
        }
        await rest.CompleteAsync().ConfigureAwait(false);

        foreach (var error in tally.Errors.Concat(outcome.ReportErrors))
        {
            await Display($"error: {error}").ConfigureAwait(false);
        }
        if (tally.StoreFailure is { } storeFailure)
        {
            throw new InvalidOperationException($"The results store failed: {storeFailure.Message}", storeFailure);
        }
        foreach (var report in outcome.Reports)
        {
            await Display($"Report: {report}").ConfigureAwait(false);
        }
    }

    private IReadOnlyList<(ExperimentDefinition Experiment, TrialFilter Filter)> SelectExperiments()
    {
        try
        {
            return ExperimentSelection.Filters(ExperimentSelection.Select(_experiments, Option(TrialOptions.Experiment)), Option(TrialOptions.Filter));
        }
        catch (CliException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    private string? Option(string name) => _options.TryGetOptionArgumentList(name, out var values) && values.Length > 0 ? values[0] : null;

    private Task Display(string text) => _output.DisplayAsync(this, new TextOutputDeviceData(text), CancellationToken.None);
}
