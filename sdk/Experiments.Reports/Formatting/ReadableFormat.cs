using System.Globalization;

namespace Experiments.Reports.Formatting;

/// <summary>Numbers, durations, sizes and dates as a reader wants them in a report; always invariant culture.</summary>
public static class ReadableFormat
{
    /// <summary>Shown where a value is missing.</summary>
    public const string Missing = "—";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Four significant digits, without exponent between 1e-4 and 1e15 (<c>0.04231</c>, <c>12.35</c>, <c>1235</c>).</summary>
    public static string Number(double? value)
    {
        if (value is not { } v)
        {
            return Missing;
        }
        if (double.IsNaN(v))
        {
            return "NaN";
        }
        if (double.IsInfinity(v))
        {
            return v > 0 ? "∞" : "-∞";
        }
        if (v == 0)
        {
            return "0";
        }

        var abs = Math.Abs(v);
        if (abs is < 1e-4 or >= 1e15)
        {
            return v.ToString("0.000E+0", Invariant);
        }

        var magnitude = (int)Math.Floor(Math.Log10(abs));
        var decimals = Math.Max(0, 3 - magnitude);
        var rounded = Math.Round(v, decimals, MidpointRounding.AwayFromZero);
        if (decimals > 0 && Math.Abs(rounded) >= Math.Pow(10, magnitude + 1))
        {
            // 9.99996 rounds to 10.000: one digit fewer after the point keeps four significant digits.
            decimals--;
            rounded = Math.Round(v, decimals, MidpointRounding.AwayFromZero);
        }
        return rounded.ToString("F" + decimals.ToString(Invariant), Invariant);
    }

    /// <summary><c>0.45 s</c>, <c>12.3 s</c>, <c>4m 05s</c>, <c>2h 03m</c>.</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s || !double.IsFinite(s))
        {
            return Missing;
        }
        s = Math.Max(0, s);
        if (Math.Round(s, 2) < 10)
        {
            return s.ToString("F2", Invariant) + " s";
        }
        if (Math.Round(s, 1) < 60)
        {
            return s.ToString("F1", Invariant) + " s";
        }

        var whole = (long)Math.Round(s, MidpointRounding.AwayFromZero);
        if (whole < 3600)
        {
            return string.Create(Invariant, $"{whole / 60}m {whole % 60:00}s");
        }
        var minutes = (long)Math.Round(s / 60, MidpointRounding.AwayFromZero);
        return string.Create(Invariant, $"{minutes / 60}h {minutes % 60:00}m");
    }

    /// <summary>Bytes as <c>812 KiB</c>, <c>512.0 MiB</c> or <c>2.35 GiB</c>.</summary>
    public static string Memory(double? bytes)
    {
        if (bytes is not { } b || !double.IsFinite(b) || b < 0)
        {
            return Missing;
        }

        const double KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024;
        return b switch
        {
            >= GiB => (b / GiB).ToString("F2", Invariant) + " GiB",
            >= MiB => (b / MiB).ToString("F1", Invariant) + " MiB",
            >= KiB => (b / KiB).ToString("F0", Invariant) + " KiB",
            _ => b.ToString("F0", Invariant) + " B",
        };
    }

    /// <summary>A point in time in UTC, to the minute.</summary>
    public static string Date(DateTimeOffset value)
        => value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", Invariant);

    /// <summary><c>mean ± std</c>, or the mean alone when there is no spread to show.</summary>
    public static string MeanAndSpread(double? mean, double? standardDeviation)
        => mean is null ? Missing
            : standardDeviation is { } std ? Number(mean) + " ± " + Number(std)
            : Number(mean);
}
