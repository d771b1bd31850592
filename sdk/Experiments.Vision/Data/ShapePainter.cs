namespace Experiments.Vision.Data;

/// <summary>Paints one <see cref="ShapesDataset"/> image from its random stream (anti-aliased by 4×4 supersampling).</summary>
internal static class ShapePainter
{
    private const int Samples = 4;
    private static readonly double Sqrt3 = Math.Sqrt(3);

    public static ImageData Paint(Random random, int size, bool[] kinds, bool multiLabel)
    {
        var canvas = new float[size * size * 3];
        PaintBackground(random, canvas, size);

        // Multi-label images get up to two thin distractor lines; single-label images are kept clean so that a small
        // model learns them from scratch in a few epochs on a CPU (the demo's point is that models differ, not that all fail).
        int lines = multiLabel ? random.Next(3) : 0;
        for (int i = 0; i < lines; i++)
        {
            var from = (X: random.NextDouble() * size, Y: random.NextDouble() * size);
            var to = (X: random.NextDouble() * size, Y: random.NextDouble() * size);
            double halfWidth = 0.4 + (0.3 * random.NextDouble());
            Fill(canvas, size, RandomColour(random), (0, 0, size, size), (x, y) => DistanceToSegment(x, y, from, to) <= halfWidth);
        }

        // Painting order (who overlaps whom) is random; our own shuffle keeps the stream independent of Random.Shuffle's.
        var order = Seeds.Permutation(kinds.Length, random).Where(k => kinds[k]).ToArray();
        var placed = new List<(double X, double Y, double Extent)>();
        foreach (int kind in order)
        {
            var shape = DrawShape(random, size, kind, multiLabel, placed);
            placed.Add((shape.X, shape.Y, shape.Extent));
            var colour = ContrastingColour(random, canvas, size, shape.X, shape.Y);
            var bounds = ((int)Math.Floor(shape.X - shape.Extent), (int)Math.Floor(shape.Y - shape.Extent),
                (int)Math.Ceiling(shape.X + shape.Extent) + 1, (int)Math.Ceiling(shape.Y + shape.Extent) + 1);
            Fill(canvas, size, colour, bounds, shape.Contains);
        }

        double noise = 0.02 + (0.04 * random.NextDouble());
        var pixels = new byte[canvas.Length];
        for (int i = 0; i < canvas.Length; i++)
        {
            double v = canvas[i] + (noise * ((2 * random.NextDouble()) - 1));
            pixels[i] = (byte)Math.Clamp((int)Math.Round(v * 255), 0, 255);
        }
        return new ImageData(size, size, 3, pixels);
    }

    private static void PaintBackground(Random random, float[] canvas, int size)
    {
        // A gentle gradient: the second colour is the first moved by at most 0.25 per channel.
        var from = RandomColour(random);
        var to = (R: Nudge(random, from.R), G: Nudge(random, from.G), B: Nudge(random, from.B));
        var (dx, dy) = UnitVector(random);
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                double t = Math.Clamp(((((x + 0.5) - (size / 2.0)) * dx) + (((y + 0.5) - (size / 2.0)) * dy)) / size + 0.5, 0, 1);
                int p = ((y * size) + x) * 3;
                canvas[p] = (float)(from.R + ((to.R - from.R) * t));
                canvas[p + 1] = (float)(from.G + ((to.G - from.G) * t));
                canvas[p + 2] = (float)(from.B + ((to.B - from.B) * t));
            }
        }
    }

    private static Shape DrawShape(Random random, int size, int kind, bool multiLabel, List<(double X, double Y, double Extent)> placed)
    {
        // Linear size as a fraction of the image, equal in area across kinds.
        double fraction = multiLabel ? 0.24 + (0.14 * random.NextDouble()) : 0.40 + (0.25 * random.NextDouble());
        double area = (fraction * size) * (fraction * size);
        var (cos, sin) = Tilt(random);
        double extent = kind switch
        {
            0 => Math.Sqrt(area / Math.PI),                    // circle: radius
            1 => Math.Sqrt(area) / 2 * Math.Sqrt(2),           // square: half the diagonal
            _ => Math.Sqrt(4 * area / (3 * Sqrt3)),            // equilateral triangle: circumradius
        };

        (double X, double Y) centre = default;
        for (int attempt = 0; attempt < 50; attempt++)
        {
            centre = (Position(random, size, extent), Position(random, size, extent));
            if (placed.TrueForAll(p => Distance(centre, (p.X, p.Y)) >= 0.9 * (extent + p.Extent)))
            {
                break;
            }
        }
        return new Shape(kind, centre.X, centre.Y, extent, cos, sin);
    }

    private static double Position(Random random, int size, double extent)
    {
        double low = extent + 0.5;
        double high = size - extent - 0.5;
        return high <= low ? size / 2.0 : low + ((high - low) * random.NextDouble());
    }

    private static (double R, double G, double B) ContrastingColour(Random random, float[] canvas, int size, double cx, double cy)
    {
        int px = Math.Clamp((int)cx, 0, size - 1);
        int py = Math.Clamp((int)cy, 0, size - 1);
        int p = ((py * size) + px) * 3;
        var background = (R: (double)canvas[p], G: (double)canvas[p + 1], B: (double)canvas[p + 2]);
        var colour = RandomColour(random);
        for (int attempt = 0; attempt < 64 && ColourDistance(colour, background) < 0.6; attempt++)
        {
            colour = RandomColour(random);
        }
        return colour;
    }

    private static void Fill(float[] canvas, int size, (double R, double G, double B) colour, (int X0, int Y0, int X1, int Y1) bounds, Func<double, double, bool> contains)
    {
        int x0 = Math.Max(bounds.X0, 0), y0 = Math.Max(bounds.Y0, 0);
        int x1 = Math.Min(bounds.X1, size), y1 = Math.Min(bounds.Y1, size);
        for (int y = y0; y < y1; y++)
        {
            for (int x = x0; x < x1; x++)
            {
                int covered = 0;
                for (int sy = 0; sy < Samples; sy++)
                {
                    for (int sx = 0; sx < Samples; sx++)
                    {
                        if (contains(x + ((sx + 0.5) / Samples), y + ((sy + 0.5) / Samples)))
                        {
                            covered++;
                        }
                    }
                }
                if (covered == 0)
                {
                    continue;
                }
                float alpha = covered / (float)(Samples * Samples);
                int p = ((y * size) + x) * 3;
                canvas[p] += alpha * ((float)colour.R - canvas[p]);
                canvas[p + 1] += alpha * ((float)colour.G - canvas[p + 1]);
                canvas[p + 2] += alpha * ((float)colour.B - canvas[p + 2]);
            }
        }
    }

    private static double Nudge(Random random, double value) => Math.Clamp(value + (0.5 * random.NextDouble()) - 0.25, 0, 1);

    private static (double R, double G, double B) RandomColour(Random random) => (random.NextDouble(), random.NextDouble(), random.NextDouble());

    private static double ColourDistance((double R, double G, double B) a, (double R, double G, double B) b)
        => Math.Sqrt(((a.R - b.R) * (a.R - b.R)) + ((a.G - b.G) * (a.G - b.G)) + ((a.B - b.B) * (a.B - b.B)));

    /// <summary>A rotation of at most about ±20° (cos, sin), without trigonometry: upright-ish shapes, as in photos.</summary>
    private static (double Cos, double Sin) Tilt(Random random)
    {
        double t = 0.72 * (random.NextDouble() - 0.5);
        double length = Math.Sqrt(1 + (t * t));
        return (1 / length, t / length);
    }

    /// <summary>A uniformly random direction without trigonometry (rejection sampling in the unit disc).</summary>
    private static (double X, double Y) UnitVector(Random random)
    {
        while (true)
        {
            double u = (2 * random.NextDouble()) - 1;
            double v = (2 * random.NextDouble()) - 1;
            double norm = (u * u) + (v * v);
            if (norm is > 0.01 and <= 1)
            {
                double length = Math.Sqrt(norm);
                return (u / length, v / length);
            }
        }
    }

    private static double Distance((double X, double Y) a, (double X, double Y) b)
        => Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));

    private static double DistanceToSegment(double x, double y, (double X, double Y) a, (double X, double Y) b)
    {
        double vx = b.X - a.X, vy = b.Y - a.Y;
        double lengthSquared = (vx * vx) + (vy * vy);
        double t = lengthSquared == 0 ? 0 : Math.Clamp((((x - a.X) * vx) + ((y - a.Y) * vy)) / lengthSquared, 0, 1);
        return Distance((x, y), (a.X + (t * vx), a.Y + (t * vy)));
    }

    /// <summary>A shape by kind (0 circle, 1 square, 2 triangle), centre, extent (distance from centre to its farthest point) and rotation.</summary>
    private readonly record struct Shape(int Kind, double X, double Y, double Extent, double Cos, double Sin)
    {
        public bool Contains(double px, double py)
        {
            double dx = px - X, dy = py - Y;
            if (Kind == 0)
            {
                return (dx * dx) + (dy * dy) <= Extent * Extent;
            }
            // Into the shape's own frame (rotate by −angle).
            double u = (Cos * dx) + (Sin * dy);
            double v = (-Sin * dx) + (Cos * dy);
            if (Kind == 1)
            {
                double half = Extent / Math.Sqrt(2);
                return Math.Abs(u) <= half && Math.Abs(v) <= half;
            }
            // Equilateral triangle with vertices at distance Extent, one pointing to −v: inside all three edges,
            // each at distance Extent/2 from the centre with outward normals (0, 1), (±√3/2, −1/2).
            double inner = Extent / 2;
            return v <= inner && ((Sqrt3 / 2 * u) - (v / 2)) <= inner && ((-Sqrt3 / 2 * u) - (v / 2)) <= inner;
        }
    }
}
