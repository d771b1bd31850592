using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using Experiments.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Experiments.CodeFixes.Fixes;

/// <summary>
/// EXP004 (the same value twice): remove the repeat, which the diagnostic covers, with its comma. The repeat is an
/// attribute argument or an element of an explicit array (<c>new object[] { … }</c>, <c>[ … ]</c>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveDuplicateValueCodeFix)), Shared]
public sealed class RemoveDuplicateValueCodeFix : TextEditCodeFix
{
    public const string Key = DiagnosticIds.DuplicateValue + ".RemoveRepeat";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.DuplicateValue];

    protected override IEnumerable<FixOffer> Offers(Diagnostic diagnostic, SyntaxNode root)
        => [new FixOffer("Remove the repeated value", Key)];

    protected override IEnumerable<TextChange> Edits(Diagnostic diagnostic, SyntaxNode root, string equivalenceKey)
    {
        if (equivalenceKey != Key
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax expression
            || expression.Span != diagnostic.Location.SourceSpan)
        {
            yield break;
        }
        // The list element that holds the value.
        SyntaxNode element = expression.Parent is AttributeArgumentSyntax or ExpressionElementSyntax ? expression.Parent : expression;
        if (element.Parent is not (AttributeArgumentListSyntax or InitializerExpressionSyntax or CollectionExpressionSyntax))
        {
            yield break;
        }
        // A repeat follows the value it repeats, so a comma precedes it.
        var comma = element.GetFirstToken().GetPreviousToken();
        if (comma.IsKind(SyntaxKind.CommaToken))
        {
            yield return new TextChange(TextSpan.FromBounds(comma.SpanStart, element.Span.End), "");
        }
    }
}
