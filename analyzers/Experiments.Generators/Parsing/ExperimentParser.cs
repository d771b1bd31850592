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
    /// <summary>Namespace-qualified, nested types joined by '.', type parameters kept: unique per type in a compilation.</summary>
    private static readonly SymbolDisplayFormat HintFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

    private static readonly SymbolDisplayFormat StubTypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var model = TryParse(context, diagnostics, out var secondPart, cancellationToken);
        var hasErrors = diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);
        // No model, for an EXP error or for one the compiler reports (a non-constant value): the property halves alone.
        // Not for the second [Experiment] part of a type, whose first part already gets them.
        var stubs = (hasErrors || model is null) && !secondPart ? StubsOf(context, cancellationToken) : null;
        return new ParseResult(hasErrors ? null : model, diagnostics.ToEquatableArray(), stubs);
    }

    /// <summary>
    /// Implementation halves for the declaration's partial properties that have none, so the build shows the EXP errors
    /// without one CS9248 ("must have an implementation part") per property next to them. Written for the type as
    /// declared (class, struct or record; generic; nested in partial types), whatever the EXP error says about its shape;
    /// nothing for interfaces, file-local types or types nested in a type that is not partial, which another file
    /// cannot add to without errors of its own. A type that is not partial gets one CS0260 ("missing partial
    /// modifier") at its name instead of a CS0751 and a CS9248 per property.
    /// </summary>
    private static PropertyStubs? StubsOf(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax syntax
            || syntax.Identifier.IsMissing || type.Name.Length == 0 || type.IsFileLocal || TypeKeyword(syntax) is not { } keyword)
        {
            return null;
        }
        var containers = new List<string>();
        foreach (var container in syntax.Ancestors().OfType<TypeDeclarationSyntax>())
        {
            if (!IsPartial(container) || TypeKeyword(container) is not { } containerKeyword)
            {
                return null;
            }
            containers.Insert(0, $"partial {containerKeyword} {container.Identifier.ValueText}{TypeParameters(container)}");
        }
        var declarations = new List<string>();
        foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
        {
            if (property.IsPartialDefinition && property.PartialImplementationPart is null && !property.IsIndexer
                && property.RefKind == RefKind.None && (property.IsStatic || !type.IsStatic) && !HasErrorType(property.Type)
                && StubOf(property, cancellationToken) is { } stub)
            {
                declarations.Add(stub);
            }
        }
        if (declarations.Count == 0)
        {
            return null;
        }
        // Unique per type; the kind is added for structs and records, because a partial struct and a partial class of
        // one name are two types (the compiler reports CS0261) and one hint name twice would make the generator fail.
        var hintName = type.ToDisplayString(HintFormat).Replace('<', '{').Replace('>', '}').Replace(", ", ",")
            + (keyword == "class" ? "" : "." + keyword.Replace(' ', '-'));
        return new PropertyStubs(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            containers.ToEquatableArray(),
            $"partial {keyword} {syntax.Identifier.ValueText}{TypeParameters(syntax)}",
            declarations.ToEquatableArray(),
            hintName);
    }

    /// <summary>The property's definition with bodies: <c>public partial int X { get =&gt; default!; private set { } }</c>.</summary>
    private static string? StubOf(IPropertySymbol property, CancellationToken cancellationToken)
    {
        var definition = property.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<PropertyDeclarationSyntax>().FirstOrDefault();
        if (definition?.AccessorList is not { } accessors || accessors.Accessors.Count == 0)
        {
            return null;
        }
        var parts = new List<string>();
        foreach (var accessor in accessors.Accessors)
        {
            var modifiers = string.Concat(accessor.Modifiers.Select(m => m.ValueText + " "));
            var body = accessor.Keyword.ValueText == "get" ? " => default!;" : " { }";
            parts.Add(modifiers + accessor.Keyword.ValueText + body);
        }
        // The definition's own modifiers, as written: the two halves of a partial property must agree on them.
        var propertyModifiers = string.Join(" ", definition.Modifiers.Select(m => m.ValueText));
        return $"{propertyModifiers} {property.Type.ToDisplayString(StubTypeFormat)} {property.Name} {{ {string.Join(" ", parts)} }}";
    }

    /// <summary>A type the compiler could not bind (it reports that): the half would repeat its error.</summary>
    private static bool HasErrorType(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Error } => true,
        IArrayTypeSymbol array => HasErrorType(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(HasErrorType),
        _ => false,
    };

    private static string? TypeKeyword(TypeDeclarationSyntax syntax) => syntax switch
    {
        RecordDeclarationSyntax record => record.ClassOrStructKeyword.ValueText == "struct" ? "record struct" : "record",
        ClassDeclarationSyntax => "class",
        StructDeclarationSyntax => "struct",
        _ => null,
    };

    private static string TypeParameters(TypeDeclarationSyntax syntax)
        => syntax.TypeParameterList is { } list ? "<" + string.Join(", ", list.Parameters.Select(p => p.Identifier.ValueText)) + ">" : "";

    private static bool IsPartial(TypeDeclarationSyntax syntax) => syntax.Modifiers.Any(m => m.ValueText == "partial");

    private static ExperimentModel? TryParse(GeneratorAttributeSyntaxContext context, List<DiagnosticInfo> diagnostics, out bool secondPart, CancellationToken cancellationToken)
    {
        secondPart = false;
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax syntax)
        {
            return null;
        }
        if (!HoldsFirstExperimentAttribute(type, syntax, cancellationToken))
        {
            secondPart = true;
            // [Experiment] on two parts of one partial class (the compiler reports the duplicate attribute): only the
            // part with the first one is read, so the type is generated once.
            return null;
        }
        var nameLocation = LocationInfo.From(syntax.Identifier.GetLocation());
        // The emitted half is a top-level 'partial class' in another file: anything else would not compile with it.
        var unsupported = syntax is StructDeclarationSyntax ? "a struct"
            : syntax is InterfaceDeclarationSyntax ? "an interface"
            : type.ContainingType is not null ? "nested in another type"
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
        if (!IsPartial(syntax))
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
        if (NotAFolderName(name) is { } problem)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidExperimentName, locations.Named("Name"), type.Name,
                Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(name, quote: true), problem));
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
        anyParameterErrors |= DuplicateKeys(parameters, diagnostics);
        var search = SearchParser.Read(type, attribute, locations, parameters, diagnostics, out var searchErrors);
        anyParameterErrors |= searchErrors;
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
            attribute.NamedArguments.Any(a => a.Key == "MaxTrials") ? locations.Named("MaxTrials") : locations.Attribute,
            search);
    }

    /// <summary>
    /// Why an experiment name cannot name a folder (EXP027), or null: the store, the artifact folder
    /// (<c>artifacts/&lt;name&gt;/</c>) and the report files are named after it, on every OS.
    /// </summary>
    internal static string? NotAFolderName(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }
        if (name.Trim().Length == 0)
        {
            return "it is only white space, which --experiment cannot select";
        }
        if (name is "." or "..")
        {
            return "'.' and '..' are the folder itself and the one above it";
        }
        foreach (var c in name)
        {
            if (c is '/' or '\\')
            {
                return $"it contains '{c}', which separates folders";
            }
            if (c is ':' or '*' or '?' or '"' or '<' or '>' or '|')
            {
                return $"it contains '{c}', which Windows does not allow in file names";
            }
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                return $"it contains the control character U+{(int)c:X4}";
            }
        }
        return null;
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

    /// <summary>
    /// Keys name the parameters in ids (<c>lr=0.1</c>) and in filters (<c>--filter LR=0.1</c>), which compare them
    /// ignoring case: two parameters with one key could not be told apart (EXP024, at the later parameter).
    /// </summary>
    private static bool DuplicateKeys(List<ParsedParameter> parameters, List<DiagnosticInfo> diagnostics)
    {
        var found = false;
        var owners = new Dictionary<string, ParsedParameter>(System.StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in parameters)
        {
            if (owners.TryGetValue(parameter.Key, out var first))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateParameterKey, parameter.KeyLocation,
                    parameter.Name, parameter.Key, first.Name));
                found = true;
            }
            else
            {
                owners.Add(parameter.Key, parameter);
            }
        }
        return found;
    }

    /// <summary>Properties in source order (file, then position), so the matrix order does not depend on symbol order.</summary>
    internal static IEnumerable<IPropertySymbol> Properties(INamedTypeSymbol type)
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

    internal static T Named<T>(AttributeData attribute, string name, T fallback)
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
