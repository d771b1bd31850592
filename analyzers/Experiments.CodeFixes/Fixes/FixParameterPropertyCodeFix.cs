using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using Experiments.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Experiments.CodeFixes.Fixes;

/// <summary>
/// EXP012 (a parameter property that is not partial, is static or has a setter): rewrite the declaration after its
/// attributes as <c>[accessibility] partial T X { get; }</c>. Attributes and the other modifiers stay; <c>static</c>,
/// the setter or <c>init</c>, accessor bodies, an expression body and an initializer go (the generator writes the getter).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FixParameterPropertyCodeFix)), Shared]
public sealed class FixParameterPropertyCodeFix : TextEditCodeFix
{
    public const string Key = DiagnosticIds.InvalidParameterProperty + ".MakePartialGetter";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.InvalidParameterProperty];

    protected override IEnumerable<FixOffer> Offers(Diagnostic diagnostic, SyntaxNode root)
        => [new FixOffer("Make it a partial property with only a getter", Key)];

    protected override IEnumerable<TextChange> Edits(Diagnostic diagnostic, SyntaxNode root, string equivalenceKey)
    {
        // The diagnostic covers the property's name.
        if (equivalenceKey != Key
            || root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not PropertyDeclarationSyntax property
            || property.Identifier.Span != diagnostic.Location.SourceSpan)
        {
            yield break;
        }
        var modifiers = property.Modifiers
            .Where(m => !m.IsKind(SyntaxKind.StaticKeyword) && !m.IsKind(SyntaxKind.PartialKeyword))
            .Select(m => m.Text)
            .Append("partial");
        var declaration = $"{string.Join(" ", modifiers)} {property.Type} {property.ExplicitInterfaceSpecifier}{property.Identifier.Text} {{ get; }}";
        var start = property.Modifiers.Count > 0 ? property.Modifiers[0].SpanStart : property.Type.SpanStart;
        var replaced = TextSpan.FromBounds(start, property.Span.End);
        if (declaration != property.SyntaxTree.GetText().ToString(replaced))
        {
            yield return new TextChange(replaced, declaration);
        }
    }
}
