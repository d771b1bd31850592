using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Experiments.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Experiments.Generators.Parsing;

/// <summary>Finds the syntax of an attribute's arguments, so diagnostics point at the offending value.</summary>
internal sealed class ArgumentLocations
{
    private readonly AttributeSyntax? _syntax;
    private readonly List<ExpressionSyntax> _positional = new();

    public ArgumentLocations(AttributeData attribute, CancellationToken cancellationToken)
    {
        _syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        foreach (var argument in _syntax?.ArgumentList?.Arguments ?? default)
        {
            if (argument.NameEquals is null && argument.NameColon is null)
            {
                _positional.Add(argument.Expression);
            }
        }
    }

    public LocationInfo? Attribute => LocationInfo.From(_syntax);

    /// <summary>Location of positional argument <paramref name="index"/>, else of the attribute.</summary>
    public LocationInfo? Positional(int index)
        => index < _positional.Count ? LocationInfo.From(_positional[index]) : Attribute;

    /// <summary>Location of element <paramref name="index"/> of a <c>params</c> array starting at position <paramref name="start"/>.</summary>
    public LocationInfo? ParamsElement(int start, int index)
    {
        // An explicit array (new object[] { ... }, [ ... ]) is one argument holding the elements.
        if (_positional.Count == start + 1 && ExplicitElements(_positional[start]) is { } elements)
        {
            return index < elements.Count ? LocationInfo.From(elements[index]) : Attribute;
        }
        return Positional(start + index);
    }

    private static IReadOnlyList<ExpressionSyntax>? ExplicitElements(ExpressionSyntax expression) => expression switch
    {
        ArrayCreationExpressionSyntax array => array.Initializer?.Expressions,
        ImplicitArrayCreationExpressionSyntax array => array.Initializer.Expressions,
        CollectionExpressionSyntax collection => collection.Elements.OfType<ExpressionElementSyntax>().Select(e => e.Expression).ToList(),
        _ => null,
    };

    /// <summary>Location of the named argument <c>Name = …</c>, else of the attribute.</summary>
    public LocationInfo? Named(string name)
    {
        var argument = _syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
        return argument is null ? Attribute : LocationInfo.From(argument.Expression);
    }
}
