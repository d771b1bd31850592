using Microsoft.CodeAnalysis;

namespace Experiments.Generators.Tests.Infrastructure;

/// <summary>Runs the generator over markup and checks that it reports exactly the marked EXP diagnostics.</summary>
internal static class DiagnosticVerifier
{
    /// <summary>
    /// Every <c>{|EXPnnn:…|}</c> span must get a diagnostic with that id covering exactly that text (same span, same
    /// line/column span, same file), and no other EXP diagnostic may be reported. The generator must not throw.
    /// </summary>
    public static GeneratorResult Verify(string markup, IReadOnlyDictionary<string, string>? buildProperties = null)
    {
        var (source, expected) = Markup.Parse(markup);
        var result = GeneratorHarness.Run(source, buildProperties);
        result.AssertNoException();

        var actual = result.ExperimentDiagnostics
            .Select(d => (Diagnostic: d, Line: d.Location.GetLineSpan()))
            .ToList();
        var actualKeys = actual
            .Select(a => $"{a.Diagnostic.Id} at {ExpectedDiagnostic.Format(a.Line.Span)} [{a.Diagnostic.Location.SourceSpan}] in {a.Line.Path}")
            .OrderBy(k => k, StringComparer.Ordinal)
            .ToList();
        var expectedKeys = expected
            .Select(e => $"{e.Id} at {ExpectedDiagnostic.Format(e.LineSpan)} [{e.Span}] in Declaration.cs")
            .OrderBy(k => k, StringComparer.Ordinal)
            .ToList();
        if (!expectedKeys.SequenceEqual(actualKeys))
        {
            var text = Microsoft.CodeAnalysis.Text.SourceText.From(source);
            string Describe((Diagnostic Diagnostic, FileLinePositionSpan Line) a)
            {
                var span = a.Diagnostic.Location.SourceSpan;
                var covered = span.End <= text.Length ? text.ToString(span) : "?";
                return $"  {a.Diagnostic.Id} at {ExpectedDiagnostic.Format(a.Line.Span)} covering `{covered}`: {a.Diagnostic.GetMessage()}";
            }
            Assert.Fail("Expected diagnostics:\n" + string.Join("\n", expected.Select(e => $"  {e} covering `{text.ToString(e.Span)}`"))
                + "\nActual:\n" + string.Join("\n", actual.Select(Describe)));
        }
        return result;
    }

    public static Diagnostic Single(this GeneratorResult result, string id)
        => Assert.Single(result.ExperimentDiagnostics, d => d.Id == id);
}
