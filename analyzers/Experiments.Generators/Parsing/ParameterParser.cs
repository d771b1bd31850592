using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Experiments.Generators.Diagnostics;
using Experiments.Generators.Matrix;
using Experiments.Generators.Model;
using Microsoft.CodeAnalysis;
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
        if (sources.Count == 0)
        {
            return null;
        }
        invalid = true;
        var propertyLocation = LocationInfo.From(property.Locations.FirstOrDefault());
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

        var source = sources[0];
        if (IsBroken(source) || property.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() is KnownNames.KnownIn or KnownNames.ConstrainedBy).Any(IsBroken)
            || property.Type.TypeKind == TypeKind.Error)
        {
            // The compiler already reports a broken attribute (missing or non-constant arguments, no matching
            // constructor) or an unknown type; nothing to add.
            return null;
        }
        var locations = new ArgumentLocations(source, cancellationToken);
        var key = Named(source, "Key")?.Value as string ?? ConstantConverter.Kebab(property.Name);
        var bare = property.Type.SpecialType == SpecialType.System_String || property.Type.TypeKind == TypeKind.Enum;
        var parameter = new ParsedParameter(property, key, bare);

        var errorsBefore = diagnostics.Count;
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

    /// <summary>An attribute the compiler could not bind: no constructor matched, or an argument is not a constant.</summary>
    public static bool IsBroken(AttributeData attribute)
        => attribute.AttributeConstructor is null
           || attribute.ConstructorArguments.Length != attribute.AttributeConstructor.Parameters.Length
           || attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error)
           || attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error);

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
        for (var i = 0; i < values.Length; i++)
        {
            var location = locations.ParamsElement(0, i);
            if (!ConstantConverter.TryConvert(values[i], parameter.Property.Type, out var literal, out var display))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ValueNotConvertible, location,
                    parameter.Name, ConstantConverter.Describe(values[i]), parameter.Property.Type.ToDisplayString()));
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
            var suggestion = Suggestions.Closest(text, known.Keys);
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownValue, value.Location, parameter.Name, text, set.Name,
                suggestion is null ? "" : $"; did you mean '{suggestion}'?"));
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
