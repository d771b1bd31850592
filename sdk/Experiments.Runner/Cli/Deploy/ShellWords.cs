using System.Text.RegularExpressions;

namespace Experiments.Runner.Cli.Deploy;

/// <summary>Quoting for a POSIX shell: words the shell must take as they are, and words it must expand.</summary>
internal static partial class ShellWords
{
    /// <summary>The word as one literal shell word: unchanged when it has nothing special, else single-quoted.</summary>
    public static string Quote(string word)
        => word.Length > 0 && Plain().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// The word with <paramref name="variables"/> (placeholder → shell variable) expanded by the shell and everything
    /// else literal: all in double quotes when the literal parts mean nothing special there (<c>"${A}/${B}"</c>), else
    /// the literal parts single-quoted and each variable double-quoted.
    /// </summary>
    public static string QuoteExpanding(string word, IReadOnlyDictionary<string, string> variables)
    {
        if (!variables.Keys.Any(k => word.Contains(k, StringComparison.Ordinal)))
        {
            return Quote(word);
        }
        var literal = variables.Keys.Aggregate(word, (w, k) => w.Replace(k, string.Empty, StringComparison.Ordinal));
        if (literal.IndexOfAny(['$', '`', '"', '\\', '!']) < 0)
        {
            return "\"" + variables.Aggregate(word, (w, v) => w.Replace(v.Key, $"${{{v.Value}}}", StringComparison.Ordinal)) + "\"";
        }
        var parts = new List<string>();
        var rest = word;
        while (rest.Length > 0)
        {
            var next = variables.Keys
                .Select(k => (Key: k, At: rest.IndexOf(k, StringComparison.Ordinal)))
                .Where(p => p.At >= 0)
                .OrderBy(p => p.At)
                .FirstOrDefault();
            if (next.Key is null)
            {
                parts.Add(Quote(rest));
                break;
            }
            if (next.At > 0)
            {
                parts.Add(Quote(rest[..next.At]));
            }
            parts.Add($"\"${{{variables[next.Key]}}}\"");
            rest = rest[(next.At + next.Key.Length)..];
        }
        return string.Concat(parts);
    }

    [GeneratedRegex("^[A-Za-z0-9_./:=@%+,-]+$")]
    private static partial Regex Plain();
}
