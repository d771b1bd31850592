namespace Experiments.Vision.Transforms;

/// <summary>Maps a coordinate outside an axis of <c>size</c> pixels to the pixel a <see cref="PadMode"/> copies.</summary>
internal static class PadIndex
{
    /// <summary>Returns the source index for <paramref name="index"/>, or -1 where the mode fills with zeros.</summary>
    public static int Map(int index, int size, PadMode mode)
    {
        if ((uint)index < (uint)size)
        {
            return index;
        }

        switch (mode)
        {
            case PadMode.Zeros:
                return -1;
            case PadMode.Border:
                return index < 0 ? 0 : size - 1;
            case PadMode.Reflection:
                if (size == 1)
                {
                    return 0;
                }

                // numpy's "reflect" (what torchvision's pad uses for PIL images): mirror about the edge pixels
                // without repeating them, periodically when the padding is wider than the image.
                int period = 2 * (size - 1);
                int m = index % period;
                if (m < 0)
                {
                    m += period;
                }

                return m < size ? m : period - m;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown pad mode.");
        }
    }

    /// <summary>The source index of each of <paramref name="length"/> coordinates from <paramref name="start"/>.</summary>
    public static int[] MapRange(int start, int length, int size, PadMode mode)
    {
        var map = new int[length];
        for (int i = 0; i < length; i++)
        {
            map[i] = Map(start + i, size, mode);
        }

        return map;
    }
}
