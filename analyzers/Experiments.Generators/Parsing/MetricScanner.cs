using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Experiments.Generators.Parsing;

/// <summary>
/// Finds the metric names an experiment reports, where that is knowable from source: constant arguments to
/// parameters marked [MetricName] (TrialContext.ReportMetric, TrialResult.With), tuples passed to
/// TrialResult.Success, and methods marked [MetricName("a", "b")]. Returns null when unknowable: a metric name that
/// is not a constant, the context handed to (or stored for) code that says nothing about what it reports, or a
/// TrialResult made by such code. Methods of the experiment type itself are fine: their bodies are scanned too.
/// </summary>
internal static class MetricScanner
{
    public static HashSet<string>? Scan(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            var model = compilation.GetSemanticModel(syntax.SyntaxTree);
            foreach (var node in syntax.DescendantNodes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var known = node switch
                {
                    InvocationExpressionSyntax invocation => ScanCall(invocation, invocation.ArgumentList.Arguments, type, model, names, cancellationToken),
                    BaseObjectCreationExpressionSyntax creation => ScanCall(creation, creation.ArgumentList?.Arguments ?? default, type, model, names, cancellationToken),
                    AssignmentExpressionSyntax assignment => !StoresContext(assignment, model, cancellationToken),
                    _ => true,
                };
                if (!known)
                {
                    return null;
                }
            }
        }
        return names;
    }

    /// <summary>False when the call makes the reported metrics unknowable.</summary>
    private static bool ScanCall(ExpressionSyntax call, SeparatedSyntaxList<ArgumentSyntax> arguments, INamedTypeSymbol type, SemanticModel model, HashSet<string> names, CancellationToken cancellationToken)
    {
        var info = model.GetSymbolInfo(call, cancellationToken);
        if ((info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) is not IMethodSymbol method)
        {
            // Unbound (broken code): unknowable if the context goes into it.
            return !arguments.Any(a => IsTrialContext(model.GetTypeInfo(a.Expression, cancellationToken).Type));
        }
        var declared = MetricNameAttribute(method) ?? (method.ReducedFrom is { } extension ? MetricNameAttribute(extension) : null);
        if (declared is not null)
        {
            names.UnionWith(Reports(declared));
        }
        var own = SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, type.OriginalDefinition) && !method.IsAbstract;
        if (declared is null && !own)
        {
            // An extension method called on the context: context.Train().
            if (method.ReducedFrom is not null && call is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
                && IsTrialContext(model.GetTypeInfo(access.Expression, cancellationToken).Type))
            {
                return false;
            }
            // A TrialResult made by code we cannot see into (other than TrialResult's own factory methods). Generic
            // pass-throughs such as Task.FromResult<T> return a type parameter in their definition: not counted.
            if (method.MethodKind != MethodKind.Constructor && ReturnsTrialResult(method.OriginalDefinition.ReturnType)
                && method.ContainingType?.ToDisplayString() != KnownNames.TrialResult)
            {
                return false;
            }
        }
        var isSuccess = method.Name == "Success" && method.ContainingType?.ToDisplayString() == KnownNames.TrialResult;
        foreach (var argument in arguments)
        {
            var parameter = Parameter(method, arguments, argument);
            if (isSuccess || (parameter is not null && MetricNameAttribute(parameter) is not null))
            {
                if (!TryAddNames(argument.Expression, model, names, cancellationToken))
                {
                    return false;
                }
            }
            else if (declared is null && !own && IsTrialContext(model.GetTypeInfo(argument.Expression, cancellationToken).Type))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The context stored anywhere but a local (a field, another object's property): its use is out of sight.</summary>
    private static bool StoresContext(AssignmentExpressionSyntax assignment, SemanticModel model, CancellationToken cancellationToken)
        => IsTrialContext(model.GetTypeInfo(assignment.Right, cancellationToken).Type)
           && model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol is not ILocalSymbol;

    private static bool TryAddNames(ExpressionSyntax expression, SemanticModel model, HashSet<string> names, CancellationToken cancellationToken)
    {
        // (name, value) tuples, e.g. TrialResult.Success(("error_rate", 0.1)): the name is the first element.
        if (expression is TupleExpressionSyntax tuple)
        {
            expression = tuple.Arguments[0].Expression;
        }
        if (model.GetConstantValue(expression, cancellationToken) is { HasValue: true, Value: string name })
        {
            names.Add(name);
            return true;
        }
        return false;
    }

    private static IParameterSymbol? Parameter(IMethodSymbol method, SeparatedSyntaxList<ArgumentSyntax> arguments, ArgumentSyntax argument)
    {
        if (argument.NameColon is { } nameColon)
        {
            return method.Parameters.FirstOrDefault(p => p.Name == nameColon.Name.Identifier.ValueText);
        }
        var position = arguments.IndexOf(argument);
        if (method.Parameters.Length == 0)
        {
            return null;
        }
        return position < method.Parameters.Length ? method.Parameters[position] : method.Parameters[method.Parameters.Length - 1].IsParams ? method.Parameters[method.Parameters.Length - 1] : null;
    }

    private static AttributeData? MetricNameAttribute(ISymbol symbol)
        => symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.MetricName);

    private static IEnumerable<string> Reports(AttributeData attribute)
    {
        var argument = attribute.ConstructorArguments.FirstOrDefault();
        return argument.Kind == TypedConstantKind.Array && !argument.IsNull
            ? argument.Values.Select(v => v.Kind == TypedConstantKind.Primitive ? v.Value as string : null).Where(v => v is not null).Cast<string>()
            : Enumerable.Empty<string>();
    }

    private static bool ReturnsTrialResult(ITypeSymbol type)
        => type.ToDisplayString() == KnownNames.TrialResult
           || (type is INamedTypeSymbol { IsGenericType: true } generic && generic.TypeArguments.Length == 1 && generic.TypeArguments[0].ToDisplayString() == KnownNames.TrialResult);

    private static bool IsTrialContext(ITypeSymbol? type) => type?.ToDisplayString() == KnownNames.TrialContext;
}
