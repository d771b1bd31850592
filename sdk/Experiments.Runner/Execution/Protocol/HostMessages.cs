using System.Text.Json.Serialization;

namespace Experiments.Runner.Execution.Protocol;

/// <summary>What the host sends a worker, one JSON object per line on the worker's stdin.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(RunTrialMessage), "run")]
[JsonDerivedType(typeof(CancelTrialMessage), "cancel")]
internal abstract record HostMessage;

/// <summary>Run one trial; the worker answers with metric/progress messages and exactly one result.</summary>
internal sealed record RunTrialMessage(string Experiment, string TrialId, string Device, string OutputDirectory) : HostMessage;

/// <summary>Cancel the running trial's token (Ctrl+C / SIGTERM on the host); the worker keeps serving.</summary>
internal sealed record CancelTrialMessage(string TrialId) : HostMessage;
