using System.Text.Json.Serialization;
using Experiments.Results;

namespace Experiments.Runner.Execution.Protocol;

/// <summary>What a worker sends its host, one JSON object per line on the worker's (real) stdout.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ReadyMessage), "ready")]
[JsonDerivedType(typeof(MetricMessage), "metric")]
[JsonDerivedType(typeof(ProgressMessage), "progress")]
[JsonDerivedType(typeof(ResultMessage), "result")]
internal abstract record WorkerMessage;

/// <summary>Sent once after start-up: the worker is ready to take trials.</summary>
internal sealed record ReadyMessage(int ProcessId) : WorkerMessage;

/// <summary>A metric the trial reported; <see cref="Epoch"/> is null for final metrics.</summary>
internal sealed record MetricMessage(string Name, double Value, int? Epoch) : WorkerMessage;

internal sealed record ProgressMessage(double Fraction, string? Message) : WorkerMessage;

/// <summary>
/// How the trial ended, in the store's terms: <see cref="TrialStatus.Passed"/>, <see cref="TrialStatus.Failed"/>,
/// <see cref="TrialStatus.Interrupted"/>, or <see cref="TrialStatus.Pending"/> when the trial could not start because
/// something outside it is missing (<see cref="MissingPrerequisiteException"/>): it stays pending. Then the final
/// metrics (reported ones merged with the returned ones; a passed trial's include <c>fit_time</c>), the error, and
/// the wall time in seconds. That the worker died is not in here: only the host can tell.
/// </summary>
internal sealed record ResultMessage(TrialStatus Status, Dictionary<string, double> Metrics, string? Error, double Duration) : WorkerMessage;
