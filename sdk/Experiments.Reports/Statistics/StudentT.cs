namespace Experiments.Reports.Statistics;

/// <summary>Quantiles of Student's t distribution, computed from its CDF (regularised incomplete beta) by bisection.</summary>
public static class StudentT
{
    /// <summary>The two-sided 95 % critical value: t such that P(T ≤ t) = 0.975 with the given degrees of freedom.</summary>
    public static double Quantile975(int degreesOfFreedom) => Quantile(0.975, degreesOfFreedom);

    /// <summary>The p-quantile (0.5 &lt; p &lt; 1) of the t distribution.</summary>
    public static double Quantile(double p, int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (p is <= 0.5 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Expected 0.5 < p < 1.");
        }

        double low = 0, high = 1;
        while (Cdf(high, degreesOfFreedom) < p)
        {
            high *= 2;
        }
        for (var i = 0; i < 200 && high - low > 1e-12 * high; i++)
        {
            var middle = (low + high) / 2;
            if (Cdf(middle, degreesOfFreedom) < p)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }
        return (low + high) / 2;
    }

    /// <summary>P(T ≤ t) for t ≥ 0.</summary>
    public static double Cdf(double t, int degreesOfFreedom)
    {
        double v = degreesOfFreedom;
        var x = v / (v + t * t);
        var tail = 0.5 * RegularizedIncompleteBeta(v / 2, 0.5, x);
        return t >= 0 ? 1 - tail : tail;
    }

    private static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (x <= 0)
        {
            return 0;
        }
        if (x >= 1)
        {
            return 1;
        }

        var logFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x);
        var front = Math.Exp(logFront);
        // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
        return x < (a + 1) / (a + b + 2)
            ? front * ContinuedFraction(a, b, x) / a
            : 1 - front * ContinuedFraction(b, a, 1 - x) / b;
    }

    /// <summary>Lentz's evaluation of the incomplete beta continued fraction.</summary>
    private static double ContinuedFraction(double a, double b, double x)
    {
        const double tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        d = Math.Abs(d) < tiny ? tiny : d;
        d = 1 / d;
        var result = d;
        for (var m = 1; m <= 300; m++)
        {
            var m2 = 2 * m;
            var numerator = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + numerator * d;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1 + numerator / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            result *= d * c;

            numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + numerator * d;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1 + numerator / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var step = d * c;
            result *= step;
            if (Math.Abs(step - 1) < 1e-15)
            {
                break;
            }
        }
        return result;
    }

    /// <summary>Lanczos approximation of ln Γ(x) for x &gt; 0.</summary>
    private static double LogGamma(double x)
    {
        ReadOnlySpan<double> coefficients =
        [
            76.18009172947146, -86.50532032941677, 24.01409824083091,
            -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5,
        ];
        var y = x;
        var tmp = x + 5.5;
        tmp -= (x + 0.5) * Math.Log(tmp);
        var series = 1.000000000190015;
        foreach (var coefficient in coefficients)
        {
            series += coefficient / ++y;
        }
        return -tmp + Math.Log(2.5066282746310005 * series / x);
    }
}
