using Experiments.Results;

namespace Experiments.Runner.Execution.Host;

/// <summary>The settings of one <c>run</c> that every experiment in it shares.</summary>
internal sealed record SweepOptions(
    bool Rerun,
    BuildIdentity Build,
    string ArtifactsDirectory,
    DateTimeOffset SweepStart,
    TimeSpan StaleAfter);
