namespace Experiments.Vision.Training;

/// <summary>
/// The learning rate of each parameter group, given as fastai gives it: one number for every group, or a
/// <c>slice</c> for discriminative rates (<see cref="Learner.ParameterGroups"/> are body then head).
/// </summary>
/// <remarks>fastai's <c>Learner.lr_range</c>: a number → that rate everywhere; <c>slice(stop)</c> → <c>stop / 10</c> for
/// every group but the last, which gets <c>stop</c>; <c>slice(start, stop)</c> → <c>even_mults(start, stop, n)</c>,
/// rates spaced geometrically from <c>start</c> (first group) to <c>stop</c> (last group).</remarks>
public sealed record LearningRates
{
    private LearningRates(double? start, double stop)
    {
        if (!(stop > 0) || !double.IsFinite(stop) || (start is { } s && (!(s > 0) || !double.IsFinite(s))))
        {
            throw new ArgumentOutOfRangeException(nameof(stop), $"Learning rates must be positive and finite (got {start?.ToString() ?? "-"}, {stop}).");
        }
        Start = start;
        Stop = stop;
    }

    /// <summary>The first group's rate of <c>slice(start, stop)</c>; null for a single rate or <c>slice(stop)</c>.</summary>
    public double? Start { get; }

    /// <summary>The last group's rate.</summary>
    public double Stop { get; }

    /// <summary>True for <c>slice(stop)</c>.</summary>
    public bool IsStopSlice { get; private init; }

    /// <summary>One rate for every group (a plain number in fastai).</summary>
    public static LearningRates Same(double lr) => new(null, lr);

    /// <summary>fastai's <c>slice(stop)</c>: <c>stop / 10</c> for every group but the last.</summary>
    public static LearningRates Slice(double stop) => new(null, stop) { IsStopSlice = true };

    /// <summary>fastai's <c>slice(start, stop)</c>: geometric from <paramref name="start"/> to <paramref name="stop"/>.</summary>
    public static LearningRates Slice(double start, double stop) => new(start, stop);

    public static implicit operator LearningRates(double lr) => Same(lr);

    /// <summary>The rate of each of <paramref name="groups"/> groups, first to last.</summary>
    public double[] For(int groups)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        var rates = new double[groups];
        if (Start is { } start)
        {
            if (groups == 1)
            {
                rates[0] = Stop;
                return rates;
            }
            // fastai's even_mults(start, stop, n).
            double step = Math.Pow(Stop / start, 1.0 / (groups - 1));
            for (int i = 0; i < groups; i++)
            {
                rates[i] = start * Math.Pow(step, i);
            }
            return rates;
        }
        Array.Fill(rates, IsStopSlice ? Stop / 10 : Stop);
        rates[^1] = Stop;
        return rates;
    }

    public override string ToString() =>
        Start is { } s ? $"slice({s:G4}, {Stop:G4})" : IsStopSlice ? $"slice({Stop:G4})" : $"{Stop:G4}";
}
