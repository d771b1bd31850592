namespace Experiments.Running.Filtering;

/// <summary>A case-insensitive glob where <c>*</c> matches any run of characters (including none).</summary>
internal sealed class GlobPattern
{
    private readonly string _pattern;

    public GlobPattern(string pattern) => _pattern = pattern;

    public override string ToString() => _pattern;

    public bool IsMatch(string text)
    {
        // Greedy match with backtracking to the last star: linear for the patterns people type.
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < _pattern.Length && _pattern[p] == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (p < _pattern.Length && char.ToUpperInvariant(_pattern[p]) == char.ToUpperInvariant(text[t]))
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
        while (p < _pattern.Length && _pattern[p] == '*')
        {
            p++;
        }
        return p == _pattern.Length;
    }
}
