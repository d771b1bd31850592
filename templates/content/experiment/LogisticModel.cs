namespace Experiment1;

/// <summary>Logistic regression on 2-D points — two weights and a bias — fit by stochastic gradient descent.</summary>
public sealed class LogisticModel(Random random)
{
    private double _w0 = random.NextDouble() - 0.5;
    private double _w1 = random.NextDouble() - 0.5;
    private double _bias;

    /// <summary>One pass over the data in a shuffled order, one step per point; returns the mean training loss.</summary>
    public double TrainEpoch(double[][] points, int[] labels, double learningRate, Random random)
    {
        var order = Enumerable.Range(0, points.Length).OrderBy(_ => random.Next()).ToArray();
        double totalLoss = 0;
        foreach (var n in order)
        {
            var (x, y) = (points[n], labels[n]);
            var p = Predict(x);
            totalLoss += Loss(p, y);
            // The gradient of the cross-entropy with respect to the logit is p − y.
            var gradient = p - y;
            _w0 -= learningRate * gradient * x[0];
            _w1 -= learningRate * gradient * x[1];
            _bias -= learningRate * gradient;
        }
        return totalLoss / points.Length;
    }

    /// <summary>Mean cross-entropy and the fraction of points on the wrong side of the line.</summary>
    public (double Loss, double ErrorRate) Evaluate(double[][] points, int[] labels)
    {
        double loss = 0;
        var errors = 0;
        for (var n = 0; n < points.Length; n++)
        {
            var p = Predict(points[n]);
            loss += Loss(p, labels[n]);
            errors += (p > 0.5 ? 1 : 0) == labels[n] ? 0 : 1;
        }
        return (loss / points.Length, (double)errors / points.Length);
    }

    private double Predict(double[] x) => 1 / (1 + Math.Exp(-((_w0 * x[0]) + (_w1 * x[1]) + _bias)));

    private static double Loss(double p, int y) => -Math.Log(Math.Max(y == 1 ? p : 1 - p, 1e-12));
}
