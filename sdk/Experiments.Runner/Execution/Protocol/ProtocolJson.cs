using System.Text.Json;
using System.Text.Json.Serialization;

namespace Experiments.Runner.Execution.Protocol;

/// <summary>Serialization of the host/worker protocol: one compact JSON object per line.</summary>
internal static class ProtocolJson
{
    public static string Serialize(HostMessage message) => JsonSerializer.Serialize(message, ProtocolJsonContext.Default.HostMessage);

    public static string Serialize(WorkerMessage message) => JsonSerializer.Serialize(message, ProtocolJsonContext.Default.WorkerMessage);

    /// <summary>Null when the line is not a protocol message (so stray output can be told apart from a broken protocol).</summary>
    public static HostMessage? ParseHostMessage(string line) => TryParse(line, ProtocolJsonContext.Default.HostMessage);

    public static WorkerMessage? ParseWorkerMessage(string line) => TryParse(line, ProtocolJsonContext.Default.WorkerMessage);

    private static T? TryParse<T>(string line, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        if (line.Length == 0 || line[0] != '{')
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(line, type);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(HostMessage))]
[JsonSerializable(typeof(WorkerMessage))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
