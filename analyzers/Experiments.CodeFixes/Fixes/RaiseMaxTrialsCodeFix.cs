using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using Experiments.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Experiments.CodeFixes.Fixes;

/// <summary>
/// EXP009 (the matrix is larger than its budget): set <c>MaxTrials</c> of the [Experiment] to the matrix size the
/// generator attached. The diagnostic covers the <c>MaxTrials</c> value when there is one (it is replaced), else the
/// attribute (the named argument is added).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RaiseMaxTrialsCodeFix)), Shared]
public sealed class RaiseMaxTrialsCodeFix : TextEditCodeFix
{
    public const string Key = DiagnosticIds.OverBudget + ".RaiseMaxTrials";
    private const string MaxTrials = "MaxTrials";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.OverBudget];

    protected override IEnumerable<FixOffer> Offers(Diagnostic diagnostic, SyntaxNode root)
        => Size(diagnostic) is { } size ? [new FixOffer($"Set MaxTrials to the matrix size, {size.ToString("N0", CultureInfo.InvariantCulture)}", Key)] : [];

    protected override IEnumerable<TextChange> Edits(Diagnostic diagnostic, SyntaxNode root, string equivalenceKey)
    {
        if (equivalenceKey != Key || Size(diagnostic) is not { } size)
        {
            yield break;
        }
        var span = diagnostic.Location.SourceSpan;
        var value = size.ToString(CultureInfo.InvariantCulture);
        var node = root.FindNode(span, getInnermostNodeForTie: true);
        if (node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is { NameEquals.Name.Identifier.ValueText: MaxTrials } argument && argument.Expression.Span == span)
        {
            yield return new TextChange(span, value);
        }
        else if (node.FirstAncestorOrSelf<AttributeSyntax>() is { } attribute && attribute.Span == span)
        {
            var arguments = attribute.ArgumentList;
            yield return arguments is null ? new TextChange(new TextSpan(attribute.Span.End, 0), $"({MaxTrials} = {value})")
                : arguments.Arguments.Count == 0 ? new TextChange(new TextSpan(arguments.CloseParenToken.SpanStart, 0), $"{MaxTrials} = {value}")
                : new TextChange(new TextSpan(arguments.Arguments.Last().Span.End, 0), $", {MaxTrials} = {value}");
        }
    }

    /// <summary>The size the generator attached; absent when no int budget can hold it.</summary>
    private static int? Size(Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(DiagnosticProperties.MatrixSize, out var text)
           && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : null;
}
