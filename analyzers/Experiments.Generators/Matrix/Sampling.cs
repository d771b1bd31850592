using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Experiments.Generators.Matrix;

/// <summary>
/// Build-time draws for [Uniform]/[LogUniform]. SplitMix64 rather than System.Random: its sequence is fixed by
/// the algorithm, so the matrix (and every trial id) is the same on every compiler and runtime.
/// </summary>
internal static class Sampling
{
    public static IReadOnlyList<double> Draw(double min, double max, bool logarithmic, int samples, int seed, int digits)
    {
        var state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL);
        var values = new SortedSet<double>();
        for (var i = 0; i < samples; i++)
        {
            var u = (Next(ref state) >> 11) * (1.0 / (1UL << 53));
            var value = logarithmic
                ? Math.Exp(Math.Log(min) + (u * (Math.Log(max) - Math.Log(min))))
                : min + (u * (max - min));
            // Rounding to the kept digits may step past a bound that has more digits (0.123456 → 0.123): clamp, so
            // every sample stays inside the declared range.
            values.Add(Math.Min(max, Math.Max(min, RoundSignificant(value, digits))));
        }
        return values.ToList();
    }

    private static ulong Next(ref ulong state)
    {
        var z = unchecked(state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    private static double RoundSignificant(double value, int digits)
        => double.Parse(value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
