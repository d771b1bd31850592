// Shared source: compiled into the Experiments library (public) and into the source generator (internal, netstandard2.0),
// so [Exclude] rules at build time and `run --filter` at run time match by one rule. Keep it to netstandard2.0 APIs.
namespace Experiments;

/// <summary>
/// The one wildcard rule of Experiments, for string values in <c>[Exclude]</c> rules and for <c>run --filter</c>:
/// <c>*</c> matches any run of characters, including none; every other character matches itself, compared ordinally
/// and case-insensitively (<c>VIT_*</c> matches <c>vit_tiny</c>). There is no other special character and no escape.
/// </summary>
#if EXPERIMENTS_GENERATOR
internal static class Wildcard
#else
public static class Wildcard
#endif
{
    /// <summary>The wildcard character.</summary>
    public const char Star = '*';

    /// <summary>Whether all of <paramref name="text"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(string pattern, string text)
    {
        if (pattern is null)
        {
            throw new System.ArgumentNullException(nameof(pattern));
        }
        if (text is null)
        {
            throw new System.ArgumentNullException(nameof(text));
        }

        // Greedy, backtracking to the last star only: linear for the patterns people write.
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == Star)
            {
                starP = p++;
                starT = t;
            }
            else if (p < pattern.Length && SameIgnoringCase(pattern[p], text[t]))
            {
                p++;
                t++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == Star)
        {
            p++;
        }
        return p == pattern.Length;
    }

    /// <summary>Ordinal, case-insensitive: what <c>StringComparison.OrdinalIgnoreCase</c> does for one character.</summary>
    private static bool SameIgnoringCase(char a, char b) => a == b || char.ToUpperInvariant(a) == char.ToUpperInvariant(b);
}
