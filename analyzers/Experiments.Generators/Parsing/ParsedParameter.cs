using System.Collections.Generic;
using Experiments.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Experiments.Generators.Parsing;

/// <summary>
/// A parameter while parsing: the values with their source locations and raw constants, which rules and
/// constraints need. Lives only inside the parse step; the pipeline carries <see cref="ParameterModel"/>.
/// </summary>
internal sealed class ParsedParameter
{
    public ParsedParameter(IPropertySymbol property, string key, bool bareInId, LocationInfo? keyLocation)
    {
        Property = property;
        Key = key;
        BareInId = bareInId;
        KeyLocation = keyLocation;
    }

    public IPropertySymbol Property { get; }
    public string Name => Property.Name;
    public string Key { get; }

    /// <summary>Where the key comes from: the <c>Key =</c> argument, else the property's name.</summary>
    public LocationInfo? KeyLocation { get; }
    public bool BareInId { get; }
    public List<ParsedValue> Values { get; } = new();
    public string? ConstrainedBy { get; set; }

    /// <summary>The declared range of a <c>[Budget]</c> parameter, whose values the experiment fills in as its rungs; else null.</summary>
    public BudgetRange? Budget { get; set; }

    public ParameterModel ToModel() => new(
        Name,
        Key,
        Property.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
        SyntaxFacts.Accessibility(Property.DeclaredAccessibility),
        BareInId,
        Values.ConvertAll(v => v.Literal).ToEquatableArray(),
        Values.ConvertAll(v => v.Display).ToEquatableArray(),
        Values.ConvertAll(v => v.Metadata).ToEquatableArray());
}

/// <summary><c>[Budget(Min, Max)]</c> as declared, with where to point at it.</summary>
internal sealed class BudgetRange
{
    public BudgetRange(int min, int max, LocationInfo? attribute, LocationInfo? maxLocation)
    {
        Min = min;
        Max = max;
        Attribute = attribute;
        MaxLocation = maxLocation;
    }

    public int Min { get; }
    public int Max { get; }
    public LocationInfo? Attribute { get; }
    public LocationInfo? MaxLocation { get; }
}

/// <summary>One declared value: C# literal, display text, raw constant (string values for wildcard rules), metadata and location.</summary>
internal sealed class ParsedValue
{
    public ParsedValue(string literal, string display, object? raw, LocationInfo? location)
    {
        Literal = literal;
        Display = display;
        Raw = raw;
        Location = location;
    }

    public string Literal { get; }
    public string Display { get; }
    public object? Raw { get; }
    public LocationInfo? Location { get; }

    /// <summary>Known-set metadata as <c>key=value</c> lines.</summary>
    public string Metadata { get; set; } = "";
}

internal static class SyntaxFacts
{
    public static string Accessibility(Accessibility accessibility) => accessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };
}
