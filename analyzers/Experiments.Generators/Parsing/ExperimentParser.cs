using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Experiments.Generators.Diagnostics;
using Experiments.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Experiments.Generators.Parsing;

/// <summary>
/// Reads an [Experiment] class into an <see cref="ExperimentModel"/> plus diagnostics. Never throws on malformed
/// input: anything the compiler already reports (broken attribute arguments) yields no model and no extra noise.
/// </summary>
internal static class ExperimentParser
{
    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var model = TryParse(context, diagnostics, cancellationToken);
        var hasErrors = diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);
        return new ParseResult(hasErrors ? null : model, diagnostics.ToEquatableArray(), hasErrors ? StubsOf(context) : null);
    }

    /// <summary>The get-only partial properties without an implementation, for a top-level, non-generic partial class.</summary>
    private static PropertyStubs? StubsOf(GeneratorAttributeSyntaxContext context)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not ClassDeclarationSyntax syntax
            || syntax.Identifier.IsMissing || type.Name.Length == 0
            || type.ContainingType is not null || type.IsGenericType || type.IsStatic || type.IsFileLocal
            || !syntax.Modifiers.Any(m => m.ValueText == "partial"))
        {
            return null;
        }
        var declarations = type.GetMembers().OfType<IPropertySymbol>()
            .Where(p => p.IsPartialDefinition && p.PartialImplementationPart is null && p.SetMethod is null && !p.IsIndexer && !p.IsStatic)
            .Select(p => $"{AccessibilityText(p.DeclaredAccessibility)}partial {p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}{(p.NullableAnnotation == NullableAnnotation.Annotated && p.Type.IsReferenceType ? "?" : "")} {p.Name} {{ get => default!; }}")
            .ToList();
        return declarations.Count == 0
            ? null
            : new PropertyStubs(type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(), type.Name, declarations.ToEquatableArray());
    }

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => "public ",
        Accessibility.Internal => "internal ",
        Accessibility.Protected => "protected ",
        Accessibility.ProtectedOrInternal => "protected internal ",
        Accessibility.ProtectedAndInternal => "private protected ",
        Accessibility.Private => "private ",
        _ => "",
    };

    private static ExperimentModel? TryParse(GeneratorAttributeSyntaxContext context, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax syntax)
        {
            return null;
        }
        if (!HoldsFirstExperimentAttribute(type, syntax, cancellationToken))
        {
            // [Experiment] on two parts of one partial class (the compiler reports the duplicate attribute): only the
            // part with the first one is read, so the type is generated once.
            return null;
        }
        var nameLocation = LocationInfo.From(syntax.Identifier.GetLocation());
        // The emitted half is a top-level 'partial class' in another file: anything else would not compile with it.
        var unsupported = type.ContainingType is not null ? "nested in another type"
            : type.IsGenericType ? "generic"
            : type.IsRecord || syntax is RecordDeclarationSyntax ? "a record"
            : type.IsAbstract || type.IsStatic ? "abstract or static"
            : type.IsFileLocal ? "file-local"
            : null;
        if (unsupported is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedType, nameLocation, type.Name, unsupported));
            return null;
        }
        if (!syntax.Modifiers.Any(m => m.ValueText == "partial"))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotPartial, nameLocation, type.Name));
            return null;
        }

        var attribute = context.Attributes[0];
        if (ParameterParser.IsBroken(attribute))
        {
            // The compiler reports the broken attribute; nothing to add.
            return null;
        }
        var locations = new ArgumentLocations(attribute, cancellationToken);
        var repeats = Named<int>(attribute, "Repeats", 1);
        var name = Named<string?>(attribute, "Name", null) ?? type.Name;
        var objective = Named<string?>(attribute, "Objective", null) ?? "loss";
        if (repeats < 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidRepeats, locations.Named("Repeats"), type.Name, repeats));
        }

        var parameters = new List<ParsedParameter>();
        var anyParameterErrors = false;
        foreach (var property in Properties(type))
        {
            var parameter = ParameterParser.Parse(property, diagnostics, out var invalid, cancellationToken);
            anyParameterErrors |= invalid;
            if (parameter is not null)
            {
                parameters.Add(parameter);
            }
        }
        ReservedNames(type, parameters, diagnostics);
        if (parameters.Count == 0 && !anyParameterErrors)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoParameters, nameLocation, type.Name));
        }

        var runMethod = FindRunMethod(type);
        if (runMethod is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingRunMethod, nameLocation, type.Name));
        }
        if (!type.InstanceConstructors.Any(c => c.Parameters.Length == 0))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoParameterlessConstructor, nameLocation, type.Name));
        }

        var rules = new List<PairRule>();
        var ruleTexts = new List<string>();
        var brokenRules = false;
        if (!anyParameterErrors)
        {
            brokenRules = !RuleParser.ReadExclusions(type, parameters, rules, ruleTexts, diagnostics, cancellationToken);
            RuleParser.ReadConstraints(parameters, rules, ruleTexts, diagnostics);
        }

        var reported = MetricScanner.Scan(type, context.SemanticModel.Compilation, cancellationToken);
        if (reported is { Count: > 0 } && !reported.Contains(objective))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ObjectiveNotReported, locations.Named("Objective"), objective, type.Name,
                string.Join(", ", reported.OrderBy(n => n, System.StringComparer.Ordinal)), ReportedSuggestion(objective, reported)));
        }

        if (anyParameterErrors || brokenRules)
        {
            // Some problems are the compiler's to report (broken attributes); they still mean no code for this type.
            return null;
        }
        return new ExperimentModel(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            type.Name,
            ParsedParameterAccessibility(type),
            name,
            repeats,
            objective,
            Named<int>(attribute, "Goal", 0),
            Named<double>(attribute, "ScoreConstant", 80),
            Named<int>(attribute, "Seed", 42),
            Named<int>(attribute, "MaxTrials", 0),
            runMethod?.IsAsync ?? true,
            parameters.Select(p => p.ToModel()).ToEquatableArray(),
            rules.ToEquatableArray(),
            ruleTexts.ToEquatableArray(),
            nameLocation,
            attribute.NamedArguments.Any(a => a.Key == "MaxTrials") ? locations.Named("MaxTrials") : locations.Attribute);
    }

    private static bool HoldsFirstExperimentAttribute(INamedTypeSymbol type, TypeDeclarationSyntax syntax, CancellationToken cancellationToken)
    {
        var first = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.Experiment);
        var owner = first?.ApplicationSyntaxReference?.GetSyntax(cancellationToken).FirstAncestorOrSelf<TypeDeclarationSyntax>();
        return owner is null || (owner.SyntaxTree == syntax.SyntaxTree && owner.Span == syntax.Span);
    }

    /// <summary>
    /// Members the generated half declares (<c>MatrixSize</c>, <c>Experiment</c>, the definition class and a backing
    /// field per parameter): a user member of the same name would not compile with it (EXP022).
    /// </summary>
    private static void ReservedNames(INamedTypeSymbol type, IReadOnlyList<ParsedParameter> parameters, List<DiagnosticInfo> diagnostics)
    {
        var reserved = new HashSet<string>(System.StringComparer.Ordinal) { "MatrixSize", "Experiment", "__ExperimentDefinition" };
        foreach (var parameter in parameters)
        {
            reserved.Add("__" + parameter.Name);
        }
        foreach (var member in type.GetMembers())
        {
            if (!member.IsImplicitlyDeclared && reserved.Contains(member.Name) && member.Locations.FirstOrDefault() is { IsInSource: true } location)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedMemberName, LocationInfo.From(location), member.Name, type.Name));
            }
        }
    }

    /// <summary>Properties in source order (file, then position), so the matrix order does not depend on symbol order.</summary>
    private static IEnumerable<IPropertySymbol> Properties(INamedTypeSymbol type)
        => type.GetMembers().OfType<IPropertySymbol>()
            .Where(p => p.Locations.Length > 0 && p.Locations[0].IsInSource)
            .OrderBy(p => p.Locations[0].SourceTree!.FilePath, System.StringComparer.Ordinal)
            .ThenBy(p => p.Locations[0].SourceSpan.Start);

    /// <summary>
    /// The trial entry point: <c>Task&lt;TrialResult&gt; RunAsync(TrialContext)</c> (IsAsync = true) or
    /// <c>TrialResult Run(TrialContext)</c>.
    /// </summary>
    private static (bool IsAsync, IMethodSymbol Method)? FindRunMethod(INamedTypeSymbol type)
    {
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            if (method.IsStatic || method.Parameters.Length != 1 || method.Parameters[0].Type.ToDisplayString() != KnownNames.TrialContext)
            {
                continue;
            }
            var returns = method.ReturnType.ToDisplayString();
            if (method.Name == "RunAsync" && returns == "System.Threading.Tasks.Task<" + KnownNames.TrialResult + ">")
            {
                return (true, method);
            }
            if (method.Name == "Run" && returns == KnownNames.TrialResult)
            {
                return (false, method);
            }
        }
        return null;
    }

    private static string ParsedParameterAccessibility(INamedTypeSymbol type)
        => type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal";

    private static string ReportedSuggestion(string objective, HashSet<string> reported)
        => Matrix.Suggestions.Closest(objective, reported) is { } closest ? $"; did you mean '{closest}'?" : "";

    private static T Named<T>(AttributeData attribute, string name, T fallback)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == name && ConstantConverter.ValueOf(argument.Value) is T value)
            {
                return value;
            }
        }
        return fallback;
    }
}
