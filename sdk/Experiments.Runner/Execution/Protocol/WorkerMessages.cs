using System.Text.Json.Serialization;

namespace Experiments.Running.Execution.Protocol;

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

/// <summary>How the trial ended: final metrics (reported ones merged with the returned ones), the error, wall time in seconds.</summary>
internal sealed record ResultMessage(WorkerTrialStatus Status, Dictionary<string, double> Metrics, string? Error, double Duration) : WorkerMessage;

internal enum WorkerTrialStatus
{
    Passed,
    Failed,
    Interrupted,

    /// <summary>The trial could not start: something outside it is missing (<see cref="MissingPrerequisiteException"/>).</summary>
    NotReady,
}
