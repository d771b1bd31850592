using System.Globalization;
using System.Numerics;

namespace Experiments.Runner.Filtering;

/// <summary>
/// Checks a filter's values against the parameters' declared values, without enumerating the matrix: a value no
/// trial can have (<c>Hidden=abc</c> on an <c>int</c>, <c>Arch=resnet81</c>) is almost always a typo. Each gets a
/// warning that names the parameter, the value, what type it should be and the values there are; a clause none of
/// whose values exists selects no trial at all, and so does the whole filter.
/// </summary>
internal static class FilterValues
{
    /// <summary>How many of a parameter's values a warning lists.</summary>
    private const int ValuesShown = 20;

    public static FilterValueCheck Check(TrialFilter filter, IReadOnlyList<ParameterDefinition> parameters)
    {
        var warnings = new List<string>();
        var selectsNothing = false;
        foreach (var clause in filter.Clauses.OfType<ParameterClause>())
        {
            var parameter = parameters[clause.ParameterIndex];
            var unknown = clause.Alternatives
                .Where(a => !parameter.Values.Any(v => Wildcard.IsMatch(a, v)))
                .ToArray();
            foreach (var value in unknown)
            {
                warnings.Add(Warning(parameter, value));
            }
            if (!clause.Negated && unknown.Length == clause.Alternatives.Count)
            {
                selectsNothing = true;
            }
        }
        return new FilterValueCheck(warnings, selectsNothing);
    }

    private static string Warning(ParameterDefinition parameter, string value)
    {
        var values = parameter.Values.Count <= ValuesShown
            ? string.Join(", ", parameter.Values)
            : string.Join(", ", parameter.Values.Take(ValuesShown)) + $" and {parameter.Values.Count - ValuesShown} more";
        var known = parameter.Values.Count == 0 ? "it has no values" : $"its values: {values}";
        if (!value.Contains(Wildcard.Star, StringComparison.Ordinal) && WrongType(parameter.TypeName, value) is { } expected)
        {
            return $"{parameter.Name} is {Article(parameter.TypeName)} {parameter.TypeName} parameter and '{value}' is not {expected}; {known}.";
        }
        var verb = value.Contains(Wildcard.Star, StringComparison.Ordinal) ? "matches" : "is";
        return $"no value of {parameter.Name} {verb} '{value}' ({parameter.TypeName}); {known}.";
    }

    /// <summary>What a value of the type looks like, when <paramref name="value"/> does not look like it; null otherwise.</summary>
    private static string? WrongType(string typeName, string value)
    {
        switch (typeName)
        {
            case "int" or "long" or "short" or "byte" or "sbyte" or "uint" or "ulong" or "ushort" or "nint" or "nuint":
                return BigInteger.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? null : "a whole number";
            case "double" or "float" or "decimal":
                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null : "a number";
            case "bool":
                return bool.TryParse(value, out _) ? null : "true or false";
            default:
                return null;
        }
    }

    private static string Article(string word) => word.Length > 0 && "aeiouAEIOU".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";
}

/// <summary>What <see cref="FilterValues.Check"/> found: one warning per value no trial has, and whether the filter provably selects nothing.</summary>
internal sealed record FilterValueCheck(IReadOnlyList<string> Warnings, bool SelectsNothing);
