using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Experiments.Generators.Parsing;

/// <summary>
/// Finds the metric names an experiment reports, where that is knowable from source: constant arguments to
/// parameters marked [MetricName] (TrialContext.ReportMetric, TrialResult.With, tuples passed to
/// TrialResult.Success) and methods marked [MetricName("a", "b")]. Returns null when unknowable — a metric name
/// that is not a constant, or the context handed to code that says nothing about what it reports.
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
            foreach (var invocation in syntax.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method)
                {
                    continue;
                }
                var declared = MetricNameAttribute(method);
                if (declared is not null)
                {
                    names.UnionWith(Reports(declared));
                }
                foreach (var argument in invocation.ArgumentList.Arguments)
                {
                    var parameter = Parameter(method, invocation, argument);
                    if (parameter is not null && MetricNameAttribute(parameter) is not null)
                    {
                        if (!TryAddNames(argument.Expression, model, names, cancellationToken))
                        {
                            return null;
                        }
                    }
                    else if (declared is null && IsTrialContext(model.GetTypeInfo(argument.Expression, cancellationToken).Type))
                    {
                        return null;
                    }
                }
            }
        }
        return names;
    }

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

    private static IParameterSymbol? Parameter(IMethodSymbol method, InvocationExpressionSyntax invocation, ArgumentSyntax argument)
    {
        if (argument.NameColon is { } nameColon)
        {
            return method.Parameters.FirstOrDefault(p => p.Name == nameColon.Name.Identifier.ValueText);
        }
        var position = invocation.ArgumentList.Arguments.IndexOf(argument);
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
            ? argument.Values.Select(v => v.Value as string).Where(v => v is not null).Cast<string>()
            : Enumerable.Empty<string>();
    }

    private static bool IsTrialContext(ITypeSymbol? type) => type?.ToDisplayString() == KnownNames.TrialContext;
}
