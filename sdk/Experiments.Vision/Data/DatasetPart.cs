namespace Experiments.Vision.Data;

/// <summary>Which part of a data set that ships its own test set (Fashion-MNIST) or is generated (procedural sets).</summary>
public enum DatasetPart
{
    /// <summary>The training part; split it for validation with <see cref="DatasetSplit.Random"/>.</summary>
    Train,

    /// <summary>The held-out test part (disjoint from <see cref="Train"/>).</summary>
    Test,
}
