namespace QuickStart;

/// <summary>
/// A two-layer perceptron (2 → hidden → 2, tanh, softmax) trained with minibatch SGD and hand-written
/// backpropagation: a real model fit that needs no native libraries and runs in milliseconds.
/// </summary>
public sealed class TinyMlp
{
    private readonly int _hidden;
    private readonly float[] _w1; // hidden × 2
    private readonly float[] _b1;
    private readonly float[] _w2; // 2 × hidden
    private readonly float[] _b2 = new float[2];

    public TinyMlp(int hidden, Random random)
    {
        _hidden = hidden;
        _w1 = Init(hidden * 2, 2, random);
        _b1 = new float[hidden];
        _w2 = Init(2 * hidden, hidden, random);
    }

    /// <summary>One pass over the data in shuffled minibatches; returns the mean training loss.</summary>
    public double TrainEpoch(float[][] points, int[] labels, double learningRate, int batchSize, Random random)
    {
        var order = Enumerable.Range(0, points.Length).OrderBy(_ => random.Next()).ToArray();
        var gradW1 = new float[_w1.Length];
        var gradB1 = new float[_b1.Length];
        var gradW2 = new float[_w2.Length];
        var gradB2 = new float[2];
        var hidden = new float[_hidden];
        var probabilities = new float[2];
        double totalLoss = 0;

        for (var start = 0; start < order.Length; start += batchSize)
        {
            Array.Clear(gradW1);
            Array.Clear(gradB1);
            Array.Clear(gradW2);
            Array.Clear(gradB2);
            var end = Math.Min(start + batchSize, order.Length);
            for (var n = start; n < end; n++)
            {
                var x = points[order[n]];
                var y = labels[order[n]];
                totalLoss += Forward(x, hidden, probabilities, y);
                for (var k = 0; k < 2; k++)
                {
                    var delta = probabilities[k] - (k == y ? 1 : 0);
                    gradB2[k] += delta;
                    for (var h = 0; h < _hidden; h++)
                    {
                        gradW2[(k * _hidden) + h] += delta * hidden[h];
                    }
                }
                for (var h = 0; h < _hidden; h++)
                {
                    var back = (probabilities[0] - (y == 0 ? 1 : 0)) * _w2[h] + ((probabilities[1] - (y == 1 ? 1 : 0)) * _w2[_hidden + h]);
                    var delta = back * (1 - (hidden[h] * hidden[h]));
                    gradB1[h] += delta;
                    gradW1[h * 2] += delta * x[0];
                    gradW1[(h * 2) + 1] += delta * x[1];
                }
            }
            var scale = (float)(learningRate / (end - start));
            Step(_w1, gradW1, scale);
            Step(_b1, gradB1, scale);
            Step(_w2, gradW2, scale);
            Step(_b2, gradB2, scale);
        }
        return totalLoss / points.Length;
    }

    /// <summary>Mean cross-entropy and error rate on a dataset.</summary>
    public (double Loss, double ErrorRate) Evaluate(float[][] points, int[] labels)
    {
        var hidden = new float[_hidden];
        var probabilities = new float[2];
        double loss = 0;
        var errors = 0;
        for (var n = 0; n < points.Length; n++)
        {
            loss += Forward(points[n], hidden, probabilities, labels[n]);
            var predicted = probabilities[1] > probabilities[0] ? 1 : 0;
            errors += predicted == labels[n] ? 0 : 1;
        }
        return (loss / points.Length, (double)errors / points.Length);
    }

    public int ParameterCount => _w1.Length + _b1.Length + _w2.Length + _b2.Length;

    private double Forward(float[] x, float[] hidden, float[] probabilities, int label)
    {
        for (var h = 0; h < _hidden; h++)
        {
            hidden[h] = MathF.Tanh((_w1[h * 2] * x[0]) + (_w1[(h * 2) + 1] * x[1]) + _b1[h]);
        }
        Span<float> logits = stackalloc float[2];
        for (var k = 0; k < 2; k++)
        {
            var sum = _b2[k];
            for (var h = 0; h < _hidden; h++)
            {
                sum += _w2[(k * _hidden) + h] * hidden[h];
            }
            logits[k] = sum;
        }
        var max = MathF.Max(logits[0], logits[1]);
        var e0 = MathF.Exp(logits[0] - max);
        var e1 = MathF.Exp(logits[1] - max);
        probabilities[0] = e0 / (e0 + e1);
        probabilities[1] = e1 / (e0 + e1);
        return -Math.Log(Math.Max(probabilities[label], 1e-12f));
    }

    private static void Step(float[] weights, float[] gradients, float scale)
    {
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] -= scale * gradients[i];
        }
    }

    /// <summary>Xavier-uniform initialisation.</summary>
    private static float[] Init(int count, int fanIn, Random random)
    {
        var limit = MathF.Sqrt(6f / (fanIn + 2));
        return Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1) * limit).ToArray();
    }
}
