using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Experiments.Generators.Tests.Infrastructure;

/// <summary>An expected diagnostic: its id and where it must be reported.</summary>
internal sealed record ExpectedDiagnostic(string Id, TextSpan Span, LinePositionSpan LineSpan)
{
    public override string ToString() => $"{Id} at {Format(LineSpan)}";

    /// <summary>1-based, as an IDE shows it: (line,column)-(line,column).</summary>
    public static string Format(LinePositionSpan span)
        => $"({span.Start.Line + 1},{span.Start.Character + 1})-({span.End.Line + 1},{span.End.Character + 1})";
}

/// <summary>
/// Source with diagnostic markup, as in Roslyn's testing framework: <c>{|EXP005:"abc"|}</c> marks the exact text a
/// diagnostic with that id must cover. Spans do not nest.
/// </summary>
internal static class Markup
{
    public static (string Source, IReadOnlyList<ExpectedDiagnostic> Expected) Parse(string markup)
    {
        var source = new StringBuilder();
        var open = new List<(string Id, int Start)>();
        var spans = new List<(string Id, TextSpan Span)>();
        var i = 0;
        while (i < markup.Length)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                var colon = markup.IndexOf(':', i + 2);
                var id = markup.Substring(i + 2, colon - i - 2);
                if (id.Length == 0 || id.Any(c => !char.IsLetterOrDigit(c)))
                {
                    throw new FormatException($"Bad markup at {i}: '{markup.Substring(i, Math.Min(20, markup.Length - i))}'");
                }
                open.Add((id, source.Length));
                i = colon + 1;
                continue;
            }
            if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}' && open.Count > 0)
            {
                var (id, start) = open[^1];
                open.RemoveAt(open.Count - 1);
                spans.Add((id, TextSpan.FromBounds(start, source.Length)));
                i += 2;
                continue;
            }
            source.Append(markup[i]);
            i++;
        }
        if (open.Count > 0)
        {
            throw new FormatException("Unclosed markup span for " + open[0].Id);
        }
        var text = SourceText.From(source.ToString());
        var expected = spans.Select(s => new ExpectedDiagnostic(s.Id, s.Span, text.Lines.GetLinePositionSpan(s.Span))).ToList();
        return (source.ToString(), expected);
    }
}
