using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using Experiments.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Experiments.CodeFixes.Fixes;

/// <summary>
/// EXP001 (the [Experiment] class is not partial): add <c>partial</c> before <c>class</c>. The CS0260 the compiler
/// reports at the same name has the IDE's own "make type partial" fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeExperimentPartialCodeFix)), Shared]
public sealed class MakeExperimentPartialCodeFix : TextEditCodeFix
{
    public const string Key = DiagnosticIds.TypeNotPartial + ".MakePartial";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.TypeNotPartial];

    protected override IEnumerable<FixOffer> Offers(Diagnostic diagnostic, SyntaxNode root)
        => [new FixOffer("Make the experiment class partial", Key)];

    protected override IEnumerable<TextChange> Edits(Diagnostic diagnostic, SyntaxNode root, string equivalenceKey)
    {
        // The diagnostic covers the class name.
        if (equivalenceKey == Key
            && root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is ClassDeclarationSyntax declaration
            && declaration.Identifier.Span == diagnostic.Location.SourceSpan)
        {
            yield return new TextChange(new TextSpan(declaration.Keyword.SpanStart, 0), "partial ");
        }
    }
}
