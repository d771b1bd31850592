using Experiments;

namespace QuickStart;

/// <summary>
/// The datasets this example can generate. Marked as a known set, so a typo in a declaration's
/// [Values] is a build error with a suggestion — the same way a library's model catalog works.
/// </summary>
[KnownValues]
public static class ToyDatasets
{
    [KnownValue("kind=two interleaved half circles")]
    public const string Moons = "moons";

    [KnownValue("kind=a ring around a disc")]
    public const string Circles = "circles";

    [KnownValue("kind=two intertwined spirals")]
    public const string Spirals = "spirals";

    /// <summary>Points in 2-D with a class label (0 or 1); the same seed gives the same points.</summary>
    public static (float[][] Points, int[] Labels) Generate(string name, int count, int seed, double noise = 0.15)
    {
        var random = new Random(seed);
        var points = new float[count][];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var label = i % 2;
            var t = random.NextDouble();
            var (x, y) = name switch
            {
                Moons => label == 0
                    ? (Math.Cos(Math.PI * t), Math.Sin(Math.PI * t))
                    : (1 - Math.Cos(Math.PI * t), 0.5 - Math.Sin(Math.PI * t)),
                Circles => label == 0
                    ? (0.4 * Math.Cos(2 * Math.PI * t), 0.4 * Math.Sin(2 * Math.PI * t))
                    : (Math.Cos(2 * Math.PI * t), Math.Sin(2 * Math.PI * t)),
                Spirals => Spiral(t, label),
                _ => throw new ArgumentException($"Unknown dataset '{name}'.", nameof(name)),
            };
            points[i] = [(float)(x + (noise * Gaussian(random))), (float)(y + (noise * Gaussian(random)))];
            labels[i] = label;
        }
        return (points, labels);
    }

    private static (double X, double Y) Spiral(double t, int label)
    {
        var angle = (2 * Math.PI * t) + (label * Math.PI);
        var radius = 0.2 + t;
        return (radius * Math.Cos(angle), radius * Math.Sin(angle));
    }

    private static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
