using System.Globalization;
using System.Text.RegularExpressions;
using Experiments.Reports.Formatting;
using Experiments.Reports.Analysis;
using Experiments.Reports.Markdown;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Experiments.Reports;

/// <summary>
/// Renders the Markdown report of an experiment with Scriban: the embedded default template, or a user's template.
/// Templates are treated as untrusted: they get plain data (<see cref="ReportModel"/> copied into script objects),
/// no file loader, and bounded loops, recursion, output, regular-expression time and wall-clock time.
/// </summary>
public static class MarkdownReport
{
    private const string DefaultTemplateResource = "Experiments.Reports.Templates.report.sbn";

    /// <summary>Caps loop iterations (all nested loops of one outer loop together): big sweeps fit, a runaway loop stops.</summary>
    internal const int LoopLimit = 200_000;

    /// <summary>Caps nested function calls.</summary>
    internal const int RecursiveLimit = 100;

    /// <summary>Caps the rendered report, in characters.</summary>
    internal const int OutputLimit = 16 * 1024 * 1024;

    /// <summary>
    /// Caps the whole rendering: the other limits bound how much a template does, not how slowly (200,000 calls of a
    /// slow regular expression pass them all). The default report renders in milliseconds.
    /// </summary>
    internal static readonly TimeSpan RenderTimeLimit = TimeSpan.FromSeconds(60);

    /// <summary>Caps one regular-expression call of a builtin function (Scriban's default is 10 s).</summary>
    internal static readonly TimeSpan RegexTimeLimit = TimeSpan.FromSeconds(1);

    private static readonly Lazy<string> DefaultTemplateText = new(LoadDefaultTemplate);
    private static readonly Lazy<Template> DefaultTemplateParsed = new(() => Parse(DefaultTemplateText.Value));

    /// <summary>The text of the default template (what a custom template starts from).</summary>
    public static string DefaultTemplate => DefaultTemplateText.Value;

    /// <summary>Renders the report without plots; <paramref name="templateText"/> replaces the default template when given.</summary>
    /// <exception cref="ReportTemplateException">The template does not parse, or fails at run time.</exception>
    public static string Render(ReportInput input, string? templateText = null)
        => Render(ReportAnalysis.Of(input), [], templateText);

    /// <summary>
    /// Renders the report of <paramref name="analysis"/>, linking <paramref name="plots"/> (the images written next to
    /// it, see <see cref="ReportPlots"/>); <paramref name="templateText"/> replaces the default template when given.
    /// </summary>
    /// <exception cref="ReportTemplateException">The template does not parse, fails at run time, or runs longer than a minute.</exception>
    public static string Render(ReportAnalysis analysis, IReadOnlyList<ReportPlot> plots, string? templateText = null)
        => Render(analysis, plots, templateText, RenderTimeLimit);

    internal static string Render(ReportAnalysis analysis, IReadOnlyList<ReportPlot> plots, string? templateText, TimeSpan timeLimit)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(plots);
        var template = templateText is null ? DefaultTemplateParsed.Value : Parse(templateText);
        var model = ScriptModel.From(ReportModel.Build(analysis, plots));
        model.Import("md_escape", new Func<string?, string>(MarkdownText.Escape));

        var context = new TemplateContext
        {
            LoopLimit = LoopLimit,
            RecursiveLimit = RecursiveLimit,
            OutputLimit = OutputLimit,
            OnOutputLimit = ScriptLimitBehavior.Throw,
            StrictVariables = false,
            EnableRelaxedMemberAccess = true,
            // Nothing in the model is a .NET object, and nothing reflected should ever be readable.
            MemberFilter = static _ => false,
            TemplateLoader = null,
            NewLine = "\n",
            RegexTimeOut = RegexTimeLimit,
        };
        using var deadline = new CancellationTokenSource(timeLimit);
        // Scriban checks the token at every loop step and statement, so a slow template stops within one call.
        context.CancellationToken = deadline.Token;
        context.PushCulture(CultureInfo.InvariantCulture);
        context.PushGlobal(model);
        try
        {
            return template.Render(context);
        }
        catch (ScriptAbortException exception) when (deadline.IsCancellationRequested)
        {
            var (line, column) = Position(exception.Span.Start);
            throw new ReportTemplateException(line, column,
                $"rendering took longer than {timeLimit.TotalSeconds:0.###} s and was stopped; make the template's loops or regular expressions cheaper",
                inner: exception);
        }
        catch (ScriptRuntimeException exception)
        {
            var (line, column) = Position(exception.Span.Start);
            var error = exception.InnerException is RegexMatchTimeoutException
                ? $"a regular expression ran longer than {RegexTimeLimit.TotalSeconds:0.###} s and was stopped; simplify the pattern"
                : exception.OriginalMessage;
            throw new ReportTemplateException(line, column, error, inner: exception);
        }
    }

    private static Template Parse(string text)
    {
        var template = Template.Parse(text);
        if (!template.HasErrors)
        {
            return template;
        }

        var errors = template.Messages.Where(m => m.Type == ParserMessageType.Error).ToArray();
        var all = errors
            .Select(m =>
            {
                var (line, column) = Position(m.Span.Start);
                return $"line {line}, column {column}: {m.Message}";
            })
            .ToArray();
        var first = errors[0];
        var (firstLine, firstColumn) = Position(first.Span.Start);
        throw new ReportTemplateException(firstLine, firstColumn, first.Message, all);
    }

    private static (int Line, int Column) Position(TextPosition position) => (position.Line + 1, position.Column + 1);

    private static string LoadDefaultTemplate()
    {
        using var stream = typeof(MarkdownReport).Assembly.GetManifestResourceStream(DefaultTemplateResource)
            ?? throw new InvalidOperationException($"The embedded resource {DefaultTemplateResource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
