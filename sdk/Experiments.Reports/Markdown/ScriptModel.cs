using System.Collections;
using System.Reflection;
using System.Text;
using Scriban.Runtime;

namespace Experiments.Reports.Markdown;

/// <summary>
/// Copies a <see cref="ReportModel"/> into plain Scriban data (script objects, arrays, strings, numbers, booleans),
/// so an untrusted template sees values only — no .NET object it could reflect over or call into.
/// </summary>
internal static class ScriptModel
{
    public static ScriptObject From(ReportModel model) => (ScriptObject)Convert(model)!;

    private static object? Convert(object? value) => value switch
    {
        null => null,
        string or bool or int or long => value,
        double d => double.IsFinite(d) ? d : null,
        IEnumerable items => ConvertList(items),
        _ when IsModelRecord(value.GetType()) => ConvertRecord(value),
        _ => throw new InvalidOperationException($"{value.GetType()} cannot be exposed to report templates."),
    };

    private static ScriptArray ConvertList(IEnumerable items)
    {
        var array = new ScriptArray();
        foreach (var item in items)
        {
            array.Add(Convert(item));
        }
        return array;
    }

    private static ScriptObject ConvertRecord(object record)
    {
        var result = new ScriptObject();
        foreach (var property in record.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            result.Add(SnakeCase(property.Name), Convert(property.GetValue(record)));
        }
        return result;
    }

    private static bool IsModelRecord(Type type)
        => type.Assembly == typeof(ScriptModel).Assembly && type.Namespace == typeof(ScriptModel).Namespace;

    /// <summary><c>ConfigurationId</c> → <c>configuration_id</c>, as Scriban names .NET members.</summary>
    internal static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                {
                    builder.Append('_');
                }
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
