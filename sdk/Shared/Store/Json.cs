using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Experiments.Results;

namespace Experiments.Store;

/// <summary>
/// The JSON columns. The declaration goes through its own records so the stored shape does not change when the
/// SDK's types are refactored.
/// </summary>
internal static class Json
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // The text is read by people and tools, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private sealed record Declaration(
        int Repeats,
        string Objective,
        Goal Goal,
        double ScoreConstant,
        int MatrixSize,
        int RemovedByRules,
        IReadOnlyList<Parameter> Parameters,
        IReadOnlyList<string> Rules,
        // Absent for a grid, so grid declarations read and write as they did before searches existed.
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SearchDeclaration? Search = null);

    private sealed record SearchDeclaration(Search Kind, string? BudgetParameter, int ReductionFactor, IReadOnlyList<int> Rungs);

    private sealed record Parameter(
        string Name,
        string Key,
        string TypeName,
        bool BareInId,
        IReadOnlyList<string> Values,
        IReadOnlyList<IReadOnlyDictionary<string, string>>? ValueMetadata);

    public static string WriteDeclaration(ExperimentInfo experiment) => JsonSerializer.Serialize(
        new Declaration(
            experiment.Repeats,
            experiment.Objective,
            experiment.Goal,
            experiment.ScoreConstant,
            experiment.MatrixSize,
            experiment.RemovedByRules,
            experiment.Parameters
                .Select(p => new Parameter(p.Name, p.Key, p.TypeName, p.BareInId, p.Values, p.ValueMetadata))
                .ToArray(),
            experiment.Rules,
            experiment.Search is { IsAdaptive: true } search
                ? new SearchDeclaration(search.Kind, search.BudgetParameter, search.ReductionFactor, search.Rungs)
                : null),
        Options);

    public static ExperimentInfo ReadDeclaration(string name, string json)
    {
        var d = JsonSerializer.Deserialize<Declaration>(json, Options)
            ?? throw new JsonException($"The declaration of experiment '{name}' is empty.");
        return new ExperimentInfo(
            name,
            d.Repeats,
            d.Objective,
            d.Goal,
            d.ScoreConstant,
            d.MatrixSize,
            d.RemovedByRules,
            d.Parameters
                .Select(p => new ParameterDefinition(p.Name, p.Key, p.TypeName, p.BareInId, p.Values, p.ValueMetadata))
                .ToArray(),
            d.Rules,
            d.Search is { Kind: Search.SuccessiveHalving, BudgetParameter: { } budget } search
                ? SearchSettings.SuccessiveHalving(budget, search.ReductionFactor, search.Rungs)
                : null);
    }

    /// <summary>Parameters as one JSON object; property order is declaration order.</summary>
    public static string WriteParameters(IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in parameters)
            {
                writer.WriteString(name, value);
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static IReadOnlyList<KeyValuePair<string, string>> ReadParameters(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject()
            .Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString() ?? ""))
            .ToArray();
    }
}
