namespace Experiments.Vision.Data;

/// <summary>
/// Derives independent, reproducible seeds from a base seed and indices (SplitMix64 mixing), so that item i of
/// epoch e gets the same random stream whatever thread decodes it and whatever was drawn before.
/// </summary>
internal static class Seeds
{
    public static int Mix(int seed, long a, long b = 0, long c = 0)
    {
        ulong h = SplitMix((ulong)(uint)seed);
        h = SplitMix(h ^ (ulong)a);
        h = SplitMix(h ^ (ulong)b);
        h = SplitMix(h ^ (ulong)c);
        return (int)(h >> 33);
    }

    /// <summary>A seed for a run that asked for none: different every time.</summary>
    public static int Fresh() => Random.Shared.Next();

    /// <summary>A Fisher–Yates permutation of 0..count-1 drawn from <paramref name="random"/>.</summary>
    public static int[] Permutation(int count, Random random)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static ulong SplitMix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
