namespace Experiments;

/// <summary>
/// The index arithmetic of a matrix: parameters with <c>sizes[p]</c> values each, in declaration order (the last one
/// fastest), minus the combinations some <see cref="ExclusionRule"/> removes. A combination's index is the number of
/// kept combinations before it. Counts a box (a set of values per parameter) without enumerating it — by product when
/// no rule applies, else by walking only the parameters the rules name or by inclusion–exclusion over the rules, as the
/// generator counts the matrix at build time — and enumerates a selection with each combination's index, skipping
/// whole blocks of the matrix by their counts instead of visiting them.
/// </summary>
internal sealed class MatrixArithmetic
{
    /// <summary>Where products stop growing: far beyond any matrix that builds, short of overflowing.</summary>
    private const long Saturated = long.MaxValue / 4;

    /// <summary>Inclusion–exclusion visits 2^rules subsets.</summary>
    private const int MaxInclusionExclusionRules = 16;

    private readonly int[] _sizes;
    private readonly Rule[] _rules;
    private readonly Rule[][] _rulesEndingAt;
    private readonly bool[] _isRuled;
    private readonly int[] _ruled;
    private readonly int _lastRuled;

    // _suffix[p]: combinations of the parameters from p on, before rules (saturating).
    private readonly long[] _suffix;

    public MatrixArithmetic(IReadOnlyList<int> sizes, IReadOnlyList<ExclusionRule> rules)
    {
        _sizes = sizes.ToArray();
        _rules = rules.Select(r => new Rule(
            r.First, ToSet(r.FirstValues, _sizes[r.First]),
            r.Second, ToSet(r.SecondValues, _sizes[r.Second]))).ToArray();
        _rulesEndingAt = Enumerable.Range(0, _sizes.Length)
            .Select(p => _rules.Where(r => Math.Max(r.First, r.Second) == p).ToArray())
            .ToArray();
        _isRuled = new bool[_sizes.Length];
        foreach (var rule in _rules)
        {
            _isRuled[rule.First] = true;
            _isRuled[rule.Second] = true;
        }
        _ruled = Enumerable.Range(0, _sizes.Length).Where(p => _isRuled[p]).ToArray();
        _lastRuled = _ruled.Length == 0 ? -1 : _ruled[^1];
        _suffix = new long[_sizes.Length + 1];
        _suffix[_sizes.Length] = 1;
        for (var p = _sizes.Length - 1; p >= 0; p--)
        {
            _suffix[p] = Multiply(_suffix[p + 1], _sizes[p]);
        }
        var all = new Dim[_sizes.Length];
        for (var p = 0; p < all.Length; p++)
        {
            all[p] = Dim.Range(0, _sizes[p]);
        }
        Combinations = Count(all);
    }

    public int ParameterCount => _sizes.Length;

    /// <summary>Combinations the rules keep: the indices of one repeat run from 0 to this − 1.</summary>
    public long Combinations { get; }

    /// <summary>Whether the rules remove this combination.</summary>
    public bool IsExcluded(ReadOnlySpan<int> values)
    {
        foreach (var rule in _rules)
        {
            if (rule.FirstSet[values[rule.First]] && rule.SecondSet[values[rule.Second]])
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The index of a kept combination (not <see cref="IsExcluded"/>) among the kept combinations of one repeat.</summary>
    public long IndexOf(ReadOnlySpan<int> values)
    {
        var dims = new Dim[_sizes.Length];
        long index = 0;
        for (var p = 0; p < _sizes.Length; p++)
        {
            index += CountBefore(dims, values, p, 0, values[p]);
        }
        return index;
    }

    /// <summary>Kept combinations whose value of each parameter is in <paramref name="selection"/> (null: any).</summary>
    public long Count(IReadOnlyList<int[]?> selection)
    {
        var dims = new Dim[_sizes.Length];
        for (var p = 0; p < dims.Length; p++)
        {
            dims[p] = selection[p] is { } set ? Dim.Of(set) : Dim.Range(0, _sizes[p]);
        }
        return Count(dims);
    }

    /// <summary>
    /// The kept combinations of <paramref name="selection"/> (per parameter the value indices, ascending; null: any),
    /// in matrix order: each step writes the combination into <paramref name="values"/> and yields its index. Visits
    /// only the selected values: a block of the matrix that the selection rules out is counted, not walked.
    /// </summary>
    public IEnumerable<long> Enumerate(IReadOnlyList<int[]?> selection, int[] values)
    {
        var count = _sizes.Length;
        if (count == 0)
        {
            yield return 0;
            yield break;
        }
        var selected = new Dim[count];
        for (var q = 0; q < count; q++)
        {
            selected[q] = selection[q] is { } set ? Dim.Of(set) : Dim.Range(0, _sizes[q]);
            if (selected[q].Count == 0)
            {
                yield break;
            }
        }
        // Per level: position in the level's selected values, the value up to which `index` has counted, and the index
        // of the first kept combination at or after that value under the current prefix.
        var position = new int[count];
        var counted = new int[count];
        var index = new long[count];
        var scratch = new Dim[count];
        var p = 0;
        while (true)
        {
            if (position[p] == selected[p].Count)
            {
                if (p == 0)
                {
                    yield break;
                }
                p--;
                position[p]++;
                continue;
            }
            var value = selected[p].At(position[p]);
            index[p] += CountBefore(scratch, values, p, counted[p], value);
            counted[p] = value;
            values[p] = value;
            if (ExcludedAt(p, values))
            {
                // Nothing under this prefix is kept: it adds 0 to the count when the next value is counted past it.
                position[p]++;
                continue;
            }
            if (p == count - 1)
            {
                yield return index[p];
                position[p]++;
                continue;
            }
            p++;
            position[p] = 0;
            counted[p] = 0;
            index[p] = index[p - 1];
        }
    }

    /// <summary>Whether a rule whose later parameter is <paramref name="p"/> removes the prefix <c>values[0..p]</c>.</summary>
    private bool ExcludedAt(int p, int[] values)
    {
        foreach (var rule in _rulesEndingAt[p])
        {
            if (rule.FirstSet[values[rule.First]] && rule.SecondSet[values[rule.Second]])
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Kept combinations with the prefix <c>values[0..p)</c>, the value of <paramref name="p"/> in [<paramref name="from"/>,
    /// <paramref name="to"/>) and any values after it. The prefix must not be excluded on its own.
    /// </summary>
    private long CountBefore(Dim[] scratch, ReadOnlySpan<int> values, int p, int from, int to)
    {
        if (to <= from)
        {
            return 0;
        }
        if (p > _lastRuled)
        {
            // Every ruled parameter is in the prefix, which no rule removes: nothing below is removed.
            return Multiply(to - from, _suffix[p + 1]);
        }
        for (var q = 0; q < p; q++)
        {
            scratch[q] = Dim.Fixed(values[q]);
        }
        scratch[p] = Dim.Range(from, to);
        for (var q = p + 1; q < _sizes.Length; q++)
        {
            scratch[q] = Dim.Range(0, _sizes[q]);
        }
        return Count(scratch);
    }

    /// <summary>Kept combinations in a box: per parameter a set of values.</summary>
    private long Count(Dim[] dims)
    {
        long free = 1;
        for (var p = 0; p < dims.Length; p++)
        {
            if (dims[p].Count == 0)
            {
                return 0;
            }
            if (!_isRuled[p])
            {
                free = Multiply(free, dims[p].Count);
            }
        }
        if (_rules.Length == 0)
        {
            return free;
        }
        long walk = 1;
        foreach (var p in _ruled)
        {
            walk = Multiply(walk, dims[p].Count);
        }
        var inclusionExclusion = _rules.Length <= MaxInclusionExclusionRules
            ? (1L << _rules.Length) * (_sizes.Length + _rules.Length)
            : long.MaxValue;
        return walk <= Math.Max(4096, inclusionExclusion)
            ? Multiply(CountByWalking(dims), free)
            : CountByInclusionExclusion(dims);
    }

    /// <summary>Kept combinations of the ruled parameters in the box, by visiting each.</summary>
    private long CountByWalking(Dim[] dims)
    {
        var values = new int[_sizes.Length];
        var position = new int[_ruled.Length];
        foreach (var p in _ruled)
        {
            values[p] = dims[p].At(0);
        }
        long kept = 0;
        while (true)
        {
            if (!IsExcluded(values))
            {
                kept++;
            }
            // Odometer, last ruled parameter fastest.
            var i = _ruled.Length - 1;
            while (i >= 0 && ++position[i] == dims[_ruled[i]].Count)
            {
                position[i] = 0;
                values[_ruled[i]] = dims[_ruled[i]].At(0);
                i--;
            }
            if (i < 0)
            {
                return kept;
            }
            values[_ruled[i]] = dims[_ruled[i]].At(position[i]);
        }
    }

    /// <summary>
    /// The box minus |A₁ ∪ … ∪ Aₙ| within it, where Aᵣ is what rule r removes: the sum over non-empty subsets S of
    /// rules of (−1)^(|S|+1) · |∩S ∩ box|, each a product over parameters of the box's values every rule in S allows.
    /// </summary>
    private long CountByInclusionExclusion(Dim[] dims)
    {
        Int128 box = 1;
        foreach (var dim in dims)
        {
            box *= dim.Count;
        }
        Int128 removed = 0;
        var touched = new List<int>();
        for (var subset = 1; subset < 1 << _rules.Length; subset++)
        {
            touched.Clear();
            for (var r = 0; r < _rules.Length; r++)
            {
                if ((subset & (1 << r)) != 0)
                {
                    if (!touched.Contains(_rules[r].First))
                    {
                        touched.Add(_rules[r].First);
                    }
                    if (!touched.Contains(_rules[r].Second))
                    {
                        touched.Add(_rules[r].Second);
                    }
                }
            }
            Int128 size = 1;
            for (var p = 0; p < dims.Length && size > 0; p++)
            {
                size *= touched.Contains(p) ? InEverySet(dims[p], p, subset) : dims[p].Count;
            }
            removed += (int.PopCount(subset) & 1) == 1 ? size : -size;
        }
        var kept = box - removed;
        return kept >= Saturated ? Saturated : (long)kept;
    }

    /// <summary>Values of the box's <paramref name="dim"/> of parameter <paramref name="p"/> in the value set of every rule of the subset that names it.</summary>
    private long InEverySet(Dim dim, int p, int subset)
    {
        long count = 0;
        for (var i = 0; i < dim.Count; i++)
        {
            var value = dim.At(i);
            var all = true;
            for (var r = 0; r < _rules.Length && all; r++)
            {
                if ((subset & (1 << r)) == 0)
                {
                    continue;
                }
                var rule = _rules[r];
                all = (rule.First != p || rule.FirstSet[value]) && (rule.Second != p || rule.SecondSet[value]);
            }
            if (all)
            {
                count++;
            }
        }
        return count;
    }

    private static long Multiply(long a, long b)
        => a == 0 || b == 0 ? 0 : a > Saturated / b ? Saturated : a * b;

    private static bool[] ToSet(IReadOnlyList<int> indices, int count)
    {
        var set = new bool[count];
        foreach (var i in indices)
        {
            if (i < 0 || i >= count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"A rule names value index {i} of a parameter with {count} values.");
            }
            set[i] = true;
        }
        return set;
    }

    private sealed record Rule(int First, bool[] FirstSet, int Second, bool[] SecondSet);

    /// <summary>The values of one parameter in a box: a range, or a set (ascending).</summary>
    private readonly struct Dim
    {
        private readonly int _from;
        private readonly int[]? _set;

        private Dim(int from, int count, int[]? set)
        {
            _from = from;
            Count = count;
            _set = set;
        }

        public int Count { get; }

        public static Dim Range(int from, int to) => new(from, Math.Max(0, to - from), null);

        public static Dim Fixed(int value) => new(value, 1, null);

        public static Dim Of(int[] set) => new(0, set.Length, set);

        public int At(int i) => _set is null ? _from + i : _set[i];
    }
}
