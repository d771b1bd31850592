using System.Text;

namespace Experiments.Reports.Formatting;

/// <summary>Makes arbitrary text (ids, parameter values, error messages) safe inside a GitHub Markdown table cell.</summary>
public static class MarkdownText
{
    /// <summary>
    /// One line of literal text: newlines become spaces; <c>|</c> becomes <c>\|</c> (GitHub splits cells on it
    /// even inside code spans); characters that would start emphasis, code, links or HTML are backslash-escaped.
    /// An underscore inside a word (<c>convnext_tiny</c>) is left alone: it cannot start emphasis there.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\r':
                    if (i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }
                    builder.Append(' ');
                    break;
                case '\n' or '\t' or '\f' or '\v' or '\u2028' or '\u2029':
                    builder.Append(' ');
                    break;
                case '\\' or '|' or '`' or '*' or '[' or ']' or '<' or '>' or '~' or '$':
                    builder.Append('\\').Append(c);
                    break;
                case '_' when !(IsWordCharacter(text, i - 1) && IsWordCharacter(text, i + 1)):
                    builder.Append("\\_");
                    break;
                default:
                    if (!char.IsControl(c))
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        return builder.ToString();
    }

    /// <summary>The first non-empty line of a (possibly multi-line) message, shortened and escaped.</summary>
    public static string FirstLine(string? text, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var line = text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(l => l.Length > 0) ?? string.Empty;
        if (line.Length > maxLength)
        {
            line = line[..(maxLength - 1)].TrimEnd() + "…";
        }
        return Escape(line);
    }

    private static bool IsWordCharacter(string text, int index)
        => index >= 0 && index < text.Length && char.IsLetterOrDigit(text[index]);
}
