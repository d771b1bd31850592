using System.Globalization;

namespace Experiments.Runner.Filtering;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (<c>run --shard K/N</c>, K 0-based): the trials whose matrix index
/// modulo N is K. Every task of a job array runs the same build, so each computes the same matrix and the N shards
/// split it exactly, each within one trial of the others' size. The index only moves when the declaration changes
/// (values added or removed); a rebuild of the same declaration keeps every trial in its shard.
/// </summary>
internal sealed record Shard(int Index, int Count)
{
    public const string Syntax = "K/N: only the trials whose matrix index modulo N is K (K from 0 to N-1), e.g. $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT.";

    /// <summary>Every trial: one shard of one.</summary>
    public static Shard All { get; } = new(0, 1);

    public bool Contains(Trial trial) => trial.Index % Count == Index;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>Reads <c>K/N</c>; null or empty is every trial. Throws <see cref="FormatException"/> naming the value.</summary>
    public static Shard Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return All;
        }
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw new FormatException($"--shard '{text}' is not K/N with whole numbers K and N, e.g. 0/4.");
        }
        if (count < 1)
        {
            throw new FormatException($"--shard '{text}': N (the number of shards) must be at least 1.");
        }
        if (index >= count)
        {
            throw new FormatException($"--shard '{text}': K counts from 0, so it must be less than N ({count}); the shards are 0/{count} to {count - 1}/{count}.");
        }
        return new Shard(index, count);
    }
}
