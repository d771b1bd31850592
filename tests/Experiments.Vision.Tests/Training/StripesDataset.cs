using Experiments.Vision.Data;

namespace Experiments.Vision.Tests.Training;

/// <summary>
/// A procedural data set for training tests: stripes of random colours, period, phase and noise, labelled by their
/// orientation (horizontal, vertical, diagonal). Item i depends only on (seed, part, i). Easier than
/// <see cref="ShapesDataset"/> — which no catalog model learns from scratch in a couple of CPU epochs — so a real
/// model shows it learns within the test budget.
/// </summary>
internal sealed class StripesDataset(int count, int imageSize, int seed, DatasetPart part = DatasetPart.Train) : IImageDataset
{
    public int Count => count;

    public IReadOnlyList<string> Classes { get; } = ["horizontal", "vertical", "diagonal"];

    public bool IsMultiLabel => false;

    public int Channels => 3;

    public ImageSample Get(int index)
    {
        var random = RandomFor(index);
        int kind = random.Next(3);
        var a = Colour(random);
        var b = Colour(random);
        double period = 4 + (6 * random.NextDouble());
        double phase = random.NextDouble() * period;
        int diagonalSign = random.Next(2) == 0 ? 1 : -1;
        double noise = 0.1 * random.NextDouble();
        var pixels = new byte[imageSize * imageSize * 3];
        for (int y = 0; y < imageSize; y++)
        {
            for (int x = 0; x < imageSize; x++)
            {
                double t = kind switch
                {
                    0 => y,
                    1 => x,
                    _ => (x + (diagonalSign * y)) / Math.Sqrt(2),
                };
                bool first = ((t + phase) / period % 1 + 1) % 1 < 0.5;
                var colour = first ? a : b;
                for (int c = 0; c < 3; c++)
                {
                    double v = colour[c] + (noise * ((2 * random.NextDouble()) - 1));
                    pixels[(((y * imageSize) + x) * 3) + c] = (byte)Math.Clamp((int)Math.Round(v * 255), 0, 255);
                }
            }
        }
        return new ImageSample(new ImageData(imageSize, imageSize, 3, pixels), [kind]);
    }

    public int[] GetLabels(int index) => [RandomFor(index).Next(3)];

    public string Describe(int index) => $"stripes {part} #{index}";

    private Random RandomFor(int index) => new(HashCode.Combine(seed, (int)part, index));

    private static double[] Colour(Random random) => [random.NextDouble(), random.NextDouble(), random.NextDouble()];
}
