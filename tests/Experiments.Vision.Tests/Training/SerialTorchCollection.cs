namespace Experiments.Vision.Tests.Training;

/// <summary>
/// Tests that rely on TorchSharp's global random generator (seeded model init, dropout) run alone: a test running in
/// parallel would draw from the same generator and change what a seed gives. Heavy training also gets both cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTorchCollection
{
    public const string Name = "Torch training, not in parallel";
}
