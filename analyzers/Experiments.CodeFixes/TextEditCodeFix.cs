using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace Experiments.CodeFixes;

/// <summary>What a fix offers for one diagnostic: the title shown in the editor and the equivalence key.</summary>
public readonly record struct FixOffer(string Title, string EquivalenceKey);

/// <summary>
/// A code fix that turns each diagnostic into text edits of its document. Fix-all (document, project, solution) applies
/// the edits of every diagnostic of a document together, so that neighbouring fixes (two duplicates in one list) never
/// conflict.
/// </summary>
public abstract class TextEditCodeFix : CodeFixProvider
{
    public sealed override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(async (context, document, diagnostics)
            => (Document?)await ApplyAsync(document, diagnostics, context.CodeActionEquivalenceKey ?? "", context.CancellationToken).ConfigureAwait(false));

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }
        foreach (var diagnostic in context.Diagnostics)
        {
            foreach (var offer in Offers(diagnostic, root))
            {
                // Offered only where it would change something.
                if (!Edits(diagnostic, root, offer.EquivalenceKey).Any())
                {
                    continue;
                }
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(offer.Title, token => ApplyAsync(document, [diagnostic], offer.EquivalenceKey, token), offer.EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The fixes offered for <paramref name="diagnostic"/> (most fixes offer one).</summary>
    protected abstract IEnumerable<FixOffer> Offers(Diagnostic diagnostic, SyntaxNode root);

    /// <summary>The edits that fix <paramref name="diagnostic"/> the way <paramref name="equivalenceKey"/> names; none when that fix does not apply.</summary>
    protected abstract IEnumerable<TextChange> Edits(Diagnostic diagnostic, SyntaxNode root, string equivalenceKey);

    private async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }
        var changes = diagnostics
            .SelectMany(diagnostic => Edits(diagnostic, root, equivalenceKey))
            .Distinct()
            .OrderBy(change => change.Span.Start)
            .ToList();
        // Of edits that overlap (two diagnostics fixed at one place), the first stays.
        var disjoint = new List<TextChange>();
        foreach (var change in changes)
        {
            if (disjoint.Count == 0 || disjoint[disjoint.Count - 1].Span.End <= change.Span.Start)
            {
                disjoint.Add(change);
            }
        }
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        return document.WithText(text.WithChanges(disjoint));
    }
}
