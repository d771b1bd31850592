using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using Experiments.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Experiments.CodeFixes.Fixes;

/// <summary>
/// EXP006 (a value outside its known set): replace the value with a close known value. The candidates are the ones
/// the generator attached (closest first, the first is the message's "did you mean"); each is offered. Fix-all of the
/// first offer replaces every unknown value with its own closest known value; fix-all of another offer replaces
/// every unknown value that has that known value among its candidates.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReplaceUnknownValueCodeFix)), Shared]
public sealed class ReplaceUnknownValueCodeFix : TextEditCodeFix
{
    public const string ClosestKey = DiagnosticIds.UnknownValue + ".Closest";
    public const string CandidateKeyPrefix = DiagnosticIds.UnknownValue + ".Use:";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.UnknownValue];

    protected override IEnumerable<FixOffer> Offers(Diagnostic diagnostic, SyntaxNode root)
    {
        var candidates = Candidates(diagnostic);
        for (var i = 0; i < candidates.Count; i++)
        {
            yield return new FixOffer($"Use the known value '{candidates[i]}'", i == 0 ? ClosestKey : CandidateKeyPrefix + candidates[i]);
        }
    }

    protected override IEnumerable<TextChange> Edits(Diagnostic diagnostic, SyntaxNode root, string equivalenceKey)
    {
        var candidates = Candidates(diagnostic);
        var replacement = equivalenceKey == ClosestKey && candidates.Count > 0 ? candidates[0]
            : equivalenceKey.StartsWith(CandidateKeyPrefix, System.StringComparison.Ordinal) && candidates.Contains(equivalenceKey.Substring(CandidateKeyPrefix.Length))
                ? equivalenceKey.Substring(CandidateKeyPrefix.Length)
            : null;
        if (replacement is null)
        {
            yield break;
        }
        // The diagnostic covers the value's expression (a literal, or a constant it names): it becomes the literal.
        yield return new TextChange(diagnostic.Location.SourceSpan, SymbolDisplay.FormatLiteral(replacement, quote: true));
    }

    private static List<string> Candidates(Diagnostic diagnostic)
    {
        var candidates = new List<string>();
        while (diagnostic.Properties.TryGetValue(DiagnosticProperties.Candidate(candidates.Count), out var candidate) && candidate is not null)
        {
            candidates.Add(candidate);
        }
        return candidates;
    }
}
