namespace Experiments.Vision.Transforms;

/// <summary>
/// The geometric part of an <see cref="AugmentationDraw"/> as one 3×3 matrix (row-major) that maps each output position
/// to the input position it samples, both in grid_sample's normalised coordinates ([-1, 1], corners at pixel centres):
/// fastai's flip · rotation · zoom affine (with its aspect correction) followed by its perspective warp, fused.
/// </summary>
internal static class AugmentationGeometry
{
    // fastai's dihedral_mat tables, indexed by the dihedral number.
    private static readonly int[] DihedralXs = [1, -1, 1, -1, -1, 1, 1, -1];
    private static readonly int[] DihedralYs = [1, 1, -1, 1, -1, -1, 1, -1];
    private static readonly int[] DihedralM0 = [1, 1, 1, 0, 1, 0, 0, 0];
    private static readonly int[] DihedralM1 = [0, 0, 0, 1, 0, 1, 1, 1];

    public static double[] SourceMatrix(AugmentationDraw draw, long height, long width)
    {
        // fastai's AffineCoordTfm: the affine parts multiply in the order of aug_transforms (flip, rotate, zoom) ...
        var matrix = Multiply(Multiply(Dihedral(draw.Dihedral), Rotation(draw.RotationDegrees)), Zoom(draw));

        // ... then _prepare_mat corrects for the aspect ratio of the normalised coordinates ...
        matrix[1] *= (double)height / width;
        matrix[3] *= (double)width / height;

        // ... and the warp is a coordinate transform applied to the affine grid: source = H(A·p).
        if (draw.WarpX != 0 || draw.WarpY != 0)
        {
            matrix = Multiply(Perspective(draw.WarpX, draw.WarpY), matrix);
        }

        return matrix;
    }

    internal static double[] Dihedral(int k)
    {
        if ((uint)k > 7)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "The dihedral index is 0 to 7.");
        }

        int xs = DihedralXs[k], ys = DihedralYs[k], m0 = DihedralM0[k], m1 = DihedralM1[k];
        return [xs * m0, xs * m1, 0, ys * m1, ys * m0, 0, 0, 0, 1];
    }

    /// <summary>fastai's rotate_mat: [[cos, sin], [−sin, cos]] (source from output), so positive angles turn content clockwise.</summary>
    internal static double[] Rotation(double degrees)
    {
        double theta = degrees * Math.PI / 180;
        double cos = Math.Cos(theta), sin = Math.Sin(theta);
        return [cos, sin, 0, -sin, cos, 0, 0, 0, 1];
    }

    /// <summary>fastai's zoom_mat: scale 1/zoom about a centre that keeps the sampled window inside the image.</summary>
    internal static double[] Zoom(AugmentationDraw draw)
    {
        double s = 1 / draw.Zoom;
        double columnShift = (1 - s) * ((2 * draw.ZoomCenterX) - 1);
        double rowShift = (1 - s) * ((2 * draw.ZoomCenterY) - 1);
        return [s, 0, columnShift, 0, s, rowShift, 0, 0, 1];
    }

    /// <summary>
    /// fastai's _WarpCoord: the homography taking the moved corners back to the image corners
    /// (<c>find_coeffs(orig_pts, targ_pts)</c>), so the output's corners show the input's corners moved by ±warp.
    /// </summary>
    internal static double[] Perspective(double warpX, double warpY)
    {
        double x = warpX, y = warpY;
        double[,] original = { { -1, -1 }, { -1, 1 }, { 1, -1 }, { 1, 1 } };
        double[,] target = { { -1 - y, -1 - x }, { -1 + y, 1 + x }, { 1 + y, -1 + x }, { 1 - y, 1 - x } };

        // Eight equations in (a, b, c, d, e, f, g, h) such that original = H(target), H = [[a, b, c], [d, e, f], [g, h, 1]].
        var a = new double[8, 9];
        for (int i = 0; i < 4; i++)
        {
            double px = original[i, 0], py = original[i, 1], qx = target[i, 0], qy = target[i, 1];
            double[] rowX = [qx, qy, 1, 0, 0, 0, -px * qx, -px * qy, px];
            double[] rowY = [0, 0, 0, qx, qy, 1, -py * qx, -py * qy, py];
            for (int j = 0; j < 9; j++)
            {
                a[2 * i, j] = rowX[j];
                a[(2 * i) + 1, j] = rowY[j];
            }
        }

        var h = Solve(a);
        return [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1];
    }

    internal static double[] Multiply(double[] left, double[] right)
    {
        var result = new double[9];
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                result[(r * 3) + c] = (left[r * 3] * right[c]) + (left[(r * 3) + 1] * right[3 + c]) + (left[(r * 3) + 2] * right[6 + c]);
            }
        }

        return result;
    }

    /// <summary>Gaussian elimination with partial pivoting on an n × (n + 1) augmented matrix.</summary>
    private static double[] Solve(double[,] augmented)
    {
        int n = augmented.GetLength(0);
        for (int column = 0; column < n; column++)
        {
            int pivot = column;
            for (int row = column + 1; row < n; row++)
            {
                if (Math.Abs(augmented[row, column]) > Math.Abs(augmented[pivot, column]))
                {
                    pivot = row;
                }
            }

            if (Math.Abs(augmented[pivot, column]) < 1e-12)
            {
                throw new ArgumentException("The warp is degenerate (its corners are collinear); use a smaller MaxWarp.");
            }

            for (int j = column; j <= n; j++)
            {
                (augmented[column, j], augmented[pivot, j]) = (augmented[pivot, j], augmented[column, j]);
            }

            for (int row = column + 1; row < n; row++)
            {
                double factor = augmented[row, column] / augmented[column, column];
                for (int j = column; j <= n; j++)
                {
                    augmented[row, j] -= factor * augmented[column, j];
                }
            }
        }

        var solution = new double[n];
        for (int row = n - 1; row >= 0; row--)
        {
            double sum = augmented[row, n];
            for (int j = row + 1; j < n; j++)
            {
                sum -= augmented[row, j] * solution[j];
            }

            solution[row] = sum / augmented[row, row];
        }

        return solution;
    }
}
