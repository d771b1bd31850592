using Experiments.Reports.Statistics;

namespace Experiments.Reports.Markdown.Tables;

/// <summary>The <em>Noise</em> column's notes and the sentence under a ranked table: what the repeats do and do not support.</summary>
internal static class Notes
{
    public const string WithinNoise = "≈ within noise of #1";
    public const string NoInterval = "1 run, no interval";
    public const string NotLearnt = "not learnt: not better than the baseline beyond noise";

    /// <summary>The noise note against the best learnt entry, which is #1 unless better-ranked entries were not learnt.</summary>
    public static string WithinNoiseOf(int leaderRank) => leaderRank == 1 ? WithinNoise : $"≈ within noise of #{leaderRank}";

    /// <summary>The note of an entry that is learnt and not within the leader's noise.</summary>
    public static string WithoutOverlap(SampleSummary? summary, bool anyInterval)
        => summary is { HasInterval: false } && anyInterval ? NoInterval : string.Empty;

    /// <summary>
    /// The note of one entry: not learnt, within the noise of the leader (the best learnt entry), or nothing to say.
    /// Sets <paramref name="withinNoise"/> for the entry's flag.
    /// </summary>
    public static string For(SampleSummary? summary, bool learnt, SampleSummary? leader, int leaderRank, bool anyInterval, out bool withinNoise)
    {
        withinNoise = learnt && summary is not null && leader is not null && !ReferenceEquals(summary, leader) && summary.Overlaps(leader);
        return !learnt ? NotLearnt : withinNoise ? WithinNoiseOf(leaderRank) : WithoutOverlap(summary, anyInterval);
    }

    /// <summary>1-based place of <paramref name="entry"/> in <paramref name="ranked"/> (1 when absent).</summary>
    public static int RankOf<T>(IReadOnlyList<T> ranked, T? entry) where T : class
    {
        for (var i = 0; i < ranked.Count; i++)
        {
            if (ReferenceEquals(ranked[i], entry))
            {
                return i + 1;
            }
        }
        return 1;
    }

    /// <summary>
    /// Says how many entries cannot be told apart from the leader: overlapping 95 % intervals of the mean mean the
    /// repeats do not support the order between them.
    /// </summary>
    public static string Uncertainty(IReadOnlyList<SampleSummary> ranked, string noun = "configuration", int leaderRank = 1)
    {
        var first = $"#{leaderRank}";
        if (ranked.Count == 0)
        {
            return string.Empty;
        }
        if (ranked.Count == 1)
        {
            return $"Only one {noun} has results, so there is nothing to compare it with yet.";
        }

        var leader = ranked[0];
        if (!ranked.Any(s => s.HasInterval))
        {
            return $"Every {noun} has a single passed run, so no confidence interval is available: "
                + "differences between entries may be noise. More repeats would tell.";
        }
        if (!leader.HasInterval)
        {
            return $"{first} has a single passed run, so no confidence interval is available for it: compare it with care.";
        }

        var others = ranked.Count - 1;
        var withinNoise = ranked.Skip(1).Count(s => s.Overlaps(leader));
        var withoutInterval = ranked.Skip(1).Count(s => !s.HasInterval);
        var sentence = withinNoise switch
        {
            0 => $"No other {noun}'s 95 % confidence interval overlaps {first}'s: its lead is beyond the noise of the repeats.",
            1 when others == 1 => $"The other {noun} is statistically indistinguishable from {first} (their 95 % confidence intervals overlap), so their order is not conclusive.",
            2 when others == 2 => $"Both other {noun}s are statistically indistinguishable from {first} (their 95 % confidence intervals overlap {first}'s), so the order among them is not conclusive.",
            _ when withinNoise == others && others > 1 => $"All {others} other {noun}s are statistically indistinguishable from {first} (their 95 % confidence intervals overlap {first}'s), so the order among them is not conclusive.",
            1 => $"1 of the {others} other {noun}s is statistically indistinguishable from {first} (its 95 % confidence interval overlaps {first}'s), so their order is not conclusive.",
            _ => $"{withinNoise} of the {others} other {noun}s are statistically indistinguishable from {first} (their 95 % confidence intervals overlap {first}'s), so the order among them is not conclusive.",
        };
        return withoutInterval switch
        {
            0 => sentence,
            1 => sentence + $" 1 {noun} has a single passed run and no interval.",
            _ => sentence + $" {withoutInterval} {noun}s have a single passed run and no interval.",
        };
    }
}
