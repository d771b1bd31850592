using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Experiments.Generators.Diagnostics;
using Experiments.Generators.Matrix;
using Experiments.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Experiments.Generators.Parsing;

/// <summary>Reads one parameter property: its value source ([Values] or a distribution), its known set and constraint.</summary>
internal static class ParameterParser
{
    /// <summary>Most samples a distribution may draw: more would only make the build slow before EXP009 stops it.</summary>
    public const int MaxSamples = 100_000;

    /// <summary>
    /// Null when the property is not a parameter (no value attribute) or is not a valid one; <paramref name="invalid"/>
    /// says which. A parameter can be invalid without an EXP diagnostic when the compiler already reports the problem
    /// (a broken attribute): the experiment then gets no code either.
    /// </summary>
    public static ParsedParameter? Parse(IPropertySymbol property, List<DiagnosticInfo> diagnostics, out bool invalid, CancellationToken cancellationToken)
    {
        invalid = false;
        var sources = property.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() is KnownNames.Values or KnownNames.Uniform or KnownNames.LogUniform).ToList();
        var budget = property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.Budget);
        if (sources.Count == 0 && budget is null)
        {
            return null;
        }
        invalid = true;
        var propertyLocation = LocationInfo.From(property.Locations.FirstOrDefault());
        if (budget is not null && sources.Count > 0)
        {
            var other = sources[0].AttributeClass!.Name;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BudgetWithValues, propertyLocation, property.Name,
                other.EndsWith("Attribute", System.StringComparison.Ordinal) ? other.Substring(0, other.Length - "Attribute".Length) : other));
            return null;
        }
        if (sources.Count > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MultipleValueSources, propertyLocation, property.Name));
            return null;
        }
        if (property.IsStatic || property.IsIndexer || property.SetMethod is not null || property.GetMethod is null || !IsPartialDefinition(property, cancellationToken))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidParameterProperty, propertyLocation, property.Name));
            return null;
        }

        var source = budget ?? sources[0];
        if (IsBroken(source) || property.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() is KnownNames.KnownIn or KnownNames.ConstrainedBy).Any(IsBroken)
            || property.Type.TypeKind == TypeKind.Error)
        {
            // The compiler already reports a broken attribute (missing or non-constant arguments, no matching
            // constructor) or an unknown type; nothing to add.
            return null;
        }
        if (budget is not null)
        {
            return ReadBudget(property, budget, propertyLocation, diagnostics, out invalid, cancellationToken);
        }
        if (!IsSupportedType(property.Type))
        {
            // Said once, at the property, rather than "cannot be converted" at every value.
            var nullable = property.Type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T ? " (a parameter always has a value, never null)" : "";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameterType, propertyLocation, property.Name, property.Type.ToDisplayString(), nullable));
            return null;
        }
        var locations = new ArgumentLocations(source, cancellationToken);
        var errorsBefore = diagnostics.Count;
        var explicitKey = Named(source, "Key")?.Value as string;
        var key = explicitKey ?? ConstantConverter.Kebab(property.Name);
        var keyLocation = explicitKey is null ? propertyLocation : locations.Named("Key");
        if (explicitKey is not null && KeyProblem(explicitKey) is { } keyProblem)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotUsableInId, keyLocation,
                "Key " + SymbolDisplay.FormatLiteral(explicitKey, quote: true), property.Name, keyProblem));
        }
        var bare = property.Type.SpecialType == SpecialType.System_String || property.Type.TypeKind == TypeKind.Enum;
        var parameter = new ParsedParameter(property, key, bare, keyLocation);

        if (source.AttributeClass!.ToDisplayString() == KnownNames.Values)
        {
            ReadValues(parameter, source, locations, diagnostics);
        }
        else
        {
            ReadDistribution(parameter, source, locations, diagnostics, logarithmic: source.AttributeClass.ToDisplayString() == KnownNames.LogUniform);
        }
        if (!ReadKnownSet(parameter, diagnostics, cancellationToken))
        {
            return null;
        }
        parameter.ConstrainedBy = property.GetAttributes()
            .FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.ConstrainedBy)?
            .ConstructorArguments.FirstOrDefault().Value as string;
        invalid = diagnostics.Count != errorsBefore;
        return invalid ? null : parameter;
    }

    /// <summary>
    /// A <c>[Budget(Min, Max)]</c> parameter: an <c>int</c> with a range that has at least two budgets (1 ≤ Min &lt; Max).
    /// Its values are the rungs, which depend on the experiment's <c>ReductionFactor</c>: the experiment fills them in.
    /// </summary>
    private static ParsedParameter? ReadBudget(IPropertySymbol property, AttributeData budget, LocationInfo? propertyLocation,
        List<DiagnosticInfo> diagnostics, out bool invalid, CancellationToken cancellationToken)
    {
        invalid = true;
        if (property.Type.SpecialType != SpecialType.System_Int32)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BudgetNotInt, propertyLocation, property.Name, property.Type.ToDisplayString()));
            return null;
        }
        var locations = new ArgumentLocations(budget, cancellationToken);
        var min = (int)budget.ConstructorArguments[0].Value!;
        var max = (int)budget.ConstructorArguments[1].Value!;
        if (min < 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBudgetRange, locations.Positional(0), property.Name,
                $"Min must be at least 1 (the budget every configuration gets at the first rung), not {min}"));
            return null;
        }
        if (max <= min)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBudgetRange, locations.Positional(1), property.Name,
                $"Max must be greater than Min {min}, not {max}: successive halving needs at least two rungs"));
            return null;
        }
        invalid = false;
        return new ParsedParameter(property, ConstantConverter.Kebab(property.Name), bareInId: false, propertyLocation)
        {
            Budget = new BudgetRange(min, max, locations.Attribute, locations.Positional(1)),
        };
    }

    /// <summary>An attribute the compiler could not bind: no constructor matched, or an argument is not a constant.</summary>
    /// <remarks>
    /// A non-constant element of a <c>params</c> array (<c>[Values(1, DateTime.Now.Second)]</c>) is an error element
    /// inside a valid array: the compiler reports it (CS0182), so it counts as broken and gets no EXP diagnostic.
    /// </remarks>
    public static bool IsBroken(AttributeData attribute)
        => attribute.AttributeConstructor is null
           || attribute.ConstructorArguments.Length != attribute.AttributeConstructor.Parameters.Length
           || attribute.ConstructorArguments.Any(IsBroken)
           || attribute.NamedArguments.Any(a => IsBroken(a.Value));

    private static bool IsBroken(TypedConstant constant)
        => constant.Kind == TypedConstantKind.Error
           || (constant.Kind == TypedConstantKind.Array && !constant.IsNull && constant.Values.Any(IsBroken));

    /// <summary>The types a value can have: they convert from attribute constants and have an id form.</summary>
    private static bool IsSupportedType(ITypeSymbol type)
        => type.TypeKind == TypeKind.Enum || type.SpecialType is SpecialType.System_String or SpecialType.System_Boolean or SpecialType.System_Char
            or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
            or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal;

    /// <summary>Why a string or char value cannot be part of a trial id (EXP025), or null.</summary>
    private static string? ValueProblem(string text)
    {
        if (text.Length == 0)
        {
            return "an empty value would have no visible id; use a named value such as \"none\" and map it to \"\" in RunAsync";
        }
        return FirstUnprintable(text) is { } character
            ? $"it contains the control character U+{(int)character:X4}, which would split the id's line in 'list' and cannot be in a folder name; remove it, or use a plain name and map it to the text in RunAsync"
            : null;
    }

    /// <summary>Why an explicit <c>Key</c> cannot be part of a trial id (EXP025), or null.</summary>
    private static string? KeyProblem(string key)
    {
        if (key.Length == 0)
        {
            return "a key cannot be empty; use a short name such as \"lr\"";
        }
        if (FirstUnprintable(key) is { } character)
        {
            return $"it contains the control character U+{(int)character:X4}; use a short name such as \"lr\"";
        }
        foreach (var c in key)
        {
            if (c is '/' or '#' or '=')
            {
                return $"it contains '{c}', which separates the parts of an id ('/' parameters, '=' key and value, '#' the repeat); use a short name without it";
            }
        }
        return null;
    }

    /// <summary>The first control character (C0, DEL, C1) or line/paragraph separator: they break lines and file names.</summary>
    private static char? FirstUnprintable(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                return c;
            }
        }
        return null;
    }

    /// <summary>
    /// A constant of the parameter's enum type that names none of its members (<c>(ResizeMethod)42</c>); for a
    /// <c>[Flags]</c> enum, one with a bit that no member has (combinations of members and 0 are values).
    /// </summary>
    private static bool IsUndefinedEnumValue(TypedConstant constant, ITypeSymbol type)
    {
        if (type.TypeKind != TypeKind.Enum || constant.Kind != TypedConstantKind.Enum || constant.Value is null
            || !SymbolEqualityComparer.Default.Equals(constant.Type, type))
        {
            return false;
        }
        var members = EnumMembers(type).ToList();
        if (members.Any(f => Equals(f.ConstantValue, constant.Value)))
        {
            return false;
        }
        if (!type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.FlagsAttribute"))
        {
            return true;
        }
        var defined = members.Aggregate(0UL, (bits, f) => bits | Bits(f.ConstantValue));
        return (Bits(constant.Value) & ~defined) != 0;
    }

    /// <summary>An enum constant's bits, whatever its underlying type.</summary>
    private static ulong Bits(object? value) => value switch
    {
        sbyte or short or int or long => unchecked((ulong)System.Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        null => 0,
        _ => System.Convert.ToUInt64(value, CultureInfo.InvariantCulture),
    };

    private static IEnumerable<IFieldSymbol> EnumMembers(ITypeSymbol type)
        => type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue);

    private static void ReadValues(ParsedParameter parameter, AttributeData source, ArgumentLocations locations, List<DiagnosticInfo> diagnostics)
    {
        var argument = source.ConstructorArguments.FirstOrDefault();
        // [Values(null)] binds null to the params array itself: treat it as one null value.
        var values = argument.Kind == TypedConstantKind.Array && !argument.IsNull ? argument.Values : ImmutableArray.Create(argument);
        if (argument.Kind == TypedConstantKind.Array && !argument.IsNull && values.IsEmpty)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EmptyValues, locations.Attribute, parameter.Name));
            return;
        }
        var seen = new HashSet<string>();
        var type = parameter.Property.Type;
        for (var i = 0; i < values.Length; i++)
        {
            var location = locations.ParamsElement(0, i);
            if (values[i].IsNull && type.SpecialType == SpecialType.System_String)
            {
                // Null is not a value: it has no id, and "null" would be the string "null".
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotUsableInId, location, "Value null", parameter.Name,
                    "null has no id; use a named value such as \"none\" and map it to null in RunAsync"));
                continue;
            }
            if (IsUndefinedEnumValue(values[i], type))
            {
                var members = EnumMembers(type).Select(f => f.Name).Distinct().ToList();
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UndefinedEnumValue, location, parameter.Name, ConstantConverter.Describe(values[i]),
                    type.ToDisplayString(), members.Count == 0 ? "it has none" : string.Join(", ", members.Take(8)) + (members.Count > 8 ? ", ..." : "")));
                continue;
            }
            if (!ConstantConverter.TryConvert(values[i], type, out var literal, out var display))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ValueNotConvertible, location,
                    parameter.Name, ConstantConverter.Describe(values[i]), parameter.Property.Type.ToDisplayString()));
                continue;
            }
            if (values[i].Value is string or char && ValueProblem(values[i].Value!.ToString()) is { } problem)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotUsableInId, location, "Value " + ConstantConverter.Describe(values[i]), parameter.Name, problem));
                continue;
            }
            if (!seen.Add(display))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateValue, location, parameter.Name, ConstantConverter.Describe(values[i])));
                continue;
            }
            parameter.Values.Add(new ParsedValue(literal, display, values[i].Value, location));
        }
    }

    private static void ReadDistribution(ParsedParameter parameter, AttributeData source, ArgumentLocations locations, List<DiagnosticInfo> diagnostics, bool logarithmic)
    {
        var type = parameter.Property.Type.SpecialType;
        if (type is not (SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Decimal))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDistribution, locations.Attribute, parameter.Name,
                $"a distribution needs a double, float or decimal property, not '{parameter.Property.Type.ToDisplayString()}'"));
            return;
        }
        var min = System.Convert.ToDouble(source.ConstructorArguments[0].Value, CultureInfo.InvariantCulture);
        var max = System.Convert.ToDouble(source.ConstructorArguments[1].Value, CultureInfo.InvariantCulture);
        var samples = Named(source, "Samples")?.Value as int? ?? 4;
        var seed = Named(source, "Seed")?.Value as int? ?? 1;
        var digits = Named(source, "Digits")?.Value as int? ?? 3;
        var limit = type switch
        {
            SpecialType.System_Single => float.MaxValue,
            SpecialType.System_Decimal => 7.9e28,
            _ => double.MaxValue,
        };

        string? problem = null;
        LocationInfo? location = locations.Attribute;
        if (!(min < max) || double.IsInfinity(min) || double.IsInfinity(max))
        {
            (problem, location) = ($"the range [{Format(min)}, {Format(max)}] is empty or not finite", locations.Positional(1));
        }
        else if (logarithmic && min <= 0)
        {
            (problem, location) = ($"a log-uniform range must be positive, but it starts at {Format(min)}", locations.Positional(0));
        }
        else if (System.Math.Abs(min) > limit || System.Math.Abs(max) > limit)
        {
            (problem, location) = ($"the range [{Format(min)}, {Format(max)}] does not fit '{parameter.Property.Type.ToDisplayString()}'",
                locations.Positional(System.Math.Abs(min) > limit ? 0 : 1));
        }
        else if (samples < 1 || samples > MaxSamples)
        {
            (problem, location) = ($"Samples must be between 1 and {MaxSamples}, not {samples}", locations.Named("Samples"));
        }
        else if (digits is < 1 or > 15)
        {
            (problem, location) = ($"Digits must be between 1 and 15, not {digits}", locations.Named("Digits"));
        }
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDistribution, location, parameter.Name, problem));
            return;
        }

        var seen = new HashSet<string>();
        foreach (var value in Sampling.Draw(min, max, logarithmic, samples, seed, digits))
        {
            // Written in the property's own type, so the literal compiles and the display is what the trial gets
            // (a float or decimal may merge two draws into one value: drawn once).
            string display, literal;
            object raw;
            switch (type)
            {
                case SpecialType.System_Single:
                    var single = (float)value;
                    display = single.ToString("R", CultureInfo.InvariantCulture);
                    (literal, raw) = (display + "F", single);
                    break;
                case SpecialType.System_Decimal:
                    var number = (decimal)value;
                    display = number.ToString(CultureInfo.InvariantCulture);
                    (literal, raw) = (display + "M", number);
                    break;
                default:
                    display = Format(value);
                    (literal, raw) = (display + "D", value);
                    break;
            }
            if (seen.Add(display))
            {
                parameter.Values.Add(new ParsedValue(literal, display, raw, locations.Attribute));
            }
        }
    }

    /// <summary>False when the known set cannot be read (the compiler reports an unknown type).</summary>
    private static bool ReadKnownSet(ParsedParameter parameter, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var knownIn = parameter.Property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.KnownIn);
        if (knownIn is null)
        {
            return true;
        }
        if (knownIn.ConstructorArguments.FirstOrDefault().Value is not INamedTypeSymbol set)
        {
            // [KnownIn(null)]: no set to check against.
            return true;
        }
        if (set.TypeKind == TypeKind.Error)
        {
            return false;
        }
        var setLocations = new ArgumentLocations(knownIn, cancellationToken);
        if (!set.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.KnownValues))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAKnownSet, setLocations.Positional(0), set.ToDisplayString()));
            return true;
        }
        var known = KnownSetReader.Read(set);
        foreach (var value in parameter.Values)
        {
            if (value.Raw is not string text)
            {
                continue;
            }
            if (known.TryGetValue(text, out var metadata))
            {
                value.Metadata = metadata;
                continue;
            }
            var candidates = Suggestions.Close(text, known.Keys).Take(DiagnosticProperties.MaxCandidates).ToList();
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownValue, value.Location, parameter.Name, text, set.Name,
                    candidates.Count == 0 ? "" : $"; did you mean '{candidates[0]}'?")
                .WithProperties(candidates.Select((candidate, i) => (DiagnosticProperties.Candidate(i), candidate)).ToArray()));
        }
        return true;
    }

    private static bool IsPartialDefinition(IPropertySymbol property, CancellationToken cancellationToken)
        => property.DeclaringSyntaxReferences.Any(r =>
            r.GetSyntax(cancellationToken) is PropertyDeclarationSyntax syntax
            && syntax.Modifiers.Any(m => m.ValueText == "partial")
            && syntax.AccessorList is { } accessors
            && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null));

    private static TypedConstant? Named(AttributeData attribute, string name)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == name)
            {
                return argument.Value;
            }
        }
        return null;
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
