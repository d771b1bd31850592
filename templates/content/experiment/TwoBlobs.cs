namespace Experiment1;

/// <summary>Two overlapping Gaussian blobs in 2-D, labelled 0 and 1: a line separates them well, never perfectly.</summary>
public static class TwoBlobs
{
    /// <summary>Points with a class label; the same seed gives the same points.</summary>
    public static (double[][] Points, int[] Labels) Generate(int count, int seed, double spread = 0.9)
    {
        var random = new Random(seed);
        var points = new double[count][];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var label = i % 2;
            var (centerX, centerY) = label == 0 ? (-1.0, -0.5) : (1.0, 0.5);
            points[i] = [centerX + (spread * Gaussian(random)), centerY + (spread * Gaussian(random))];
            labels[i] = label;
        }
        return (points, labels);
    }

    private static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
