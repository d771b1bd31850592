namespace Experiments.Reports;

/// <summary>
/// A report template that does not parse or fails while rendering. The message gives the line and column (1-based)
/// and Scriban's error; the caller prefixes the template's file name.
/// </summary>
public sealed class ReportTemplateException : InvalidOperationException
{
    public ReportTemplateException(int line, int column, string error, IReadOnlyList<string>? allErrors = null, Exception? inner = null)
        : base($"Report template error at line {line}, column {column}: {error}", inner)
    {
        Line = line;
        Column = column;
        Error = error;
        AllErrors = allErrors ?? [Message];
    }

    /// <summary>1-based line of the (first) error.</summary>
    public int Line { get; }

    /// <summary>1-based column of the (first) error.</summary>
    public int Column { get; }

    /// <summary>The error text without position.</summary>
    public string Error { get; }

    /// <summary>Every error, each as <c>line L, column C: text</c>.</summary>
    public IReadOnlyList<string> AllErrors { get; }
}
