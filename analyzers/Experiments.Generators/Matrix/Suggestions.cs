using System;
using System.Collections.Generic;
using System.Linq;

namespace Experiments.Generators.Matrix;

/// <summary>
/// "Did you mean" for values outside a known set: the names close to the value by edit distance (ignoring case).
/// The message suggests the first; the EXP006 code fix offers them all.
/// </summary>
internal static class Suggestions
{
    /// <summary>The closest name, when close enough; the first of <see cref="Close"/>.</summary>
    public static string? Closest(string value, IEnumerable<string> candidates) => Close(value, candidates).FirstOrDefault();

    /// <summary>Every name within the distance limit, closest first (ties in the order of <paramref name="candidates"/>).</summary>
    public static IReadOnlyList<string> Close(string value, IEnumerable<string> candidates)
    {
        var limit = Math.Max(2, value.Length / 3);
        var lower = value.ToLowerInvariant();
        return candidates
            .Select(candidate => (Candidate: candidate, Distance: Distance(lower, candidate.ToLowerInvariant())))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .Select(c => c.Candidate)
            .ToList();
    }

    /// <summary>Levenshtein distance (insert, delete, substitute), two rows.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
