using Experiments.Vision.Data;

namespace Experiments.Vision.Tests.Data;

public sealed class DatasetSplitTests
{
    private static readonly ShapesDataset Dataset = new(1000, imageSize: 8, seed: 0);

    [Theory]
    [InlineData(0.2, 200)]
    [InlineData(0.25, 250)]
    [InlineData(0.0015, 1)]
    [InlineData(0, 0)]
    public void The_validation_part_is_the_floor_of_the_fraction_and_the_parts_cover_the_data_once(double fraction, int validCount)
    {
        var split = DatasetSplit.Random(Dataset, fraction, seed: 42);

        Assert.Equal(validCount, split.Valid.Count);
        Assert.Equal(1000 - validCount, split.Train.Count);
        Assert.Equal(Enumerable.Range(0, 1000), split.Train.Indices.Concat(split.Valid.Indices).Order());
        Assert.Equal(split.Valid.Indices.Order(), split.Valid.Indices);
        Assert.Equal(split.Train.Indices.Order(), split.Train.Indices);
        Assert.Equal(42, split.Seed);
    }

    [Fact]
    public void A_fixed_seed_gives_the_same_validation_set_and_another_seed_a_different_one()
    {
        var first = DatasetSplit.Random(Dataset, 0.2, seed: 42);
        var again = DatasetSplit.Random(Dataset, 0.2, seed: 42);
        var other = DatasetSplit.Random(Dataset, 0.2, seed: 43);

        Assert.Equal(first.Valid.Indices, again.Valid.Indices);
        Assert.NotEqual(first.Valid.Indices, other.Valid.Indices);
        Assert.InRange(first.Valid.Indices.Intersect(other.Valid.Indices).Count(), 10, 80);   // independent: ~40 in common
    }

    [Fact]
    public void No_seed_gives_a_different_validation_set_each_time_and_records_the_seed_drawn()
    {
        var splits = Enumerable.Range(0, 3).Select(_ => DatasetSplit.Random(Dataset, 0.2)).ToList();

        Assert.Equal(3, splits.Select(s => string.Join(",", s.Valid.Indices)).Distinct().Count());
        var replay = DatasetSplit.Random(Dataset, 0.2, splits[0].Seed);
        Assert.Equal(splits[0].Valid.Indices, replay.Valid.Indices);
    }

    [Fact]
    public void Subsets_show_the_source_items_through_their_indices()
    {
        var split = DatasetSplit.Random(Dataset, 0.1, seed: 1);
        int source = split.Valid.Indices[3];

        Assert.Equal(Dataset.GetLabels(source), split.Valid.GetLabels(3));
        Assert.Equal(Dataset.Get(source).Image.Pixels, split.Valid.Get(3).Image.Pixels);
        Assert.Equal(Dataset.Describe(source), split.Valid.Describe(3));
        Assert.Equal(Dataset.Classes, split.Train.Classes);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(1)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void A_fraction_outside_0_to_1_is_refused(double fraction)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplit.Random(Dataset, fraction, seed: 1));

        Assert.Contains("0.2 for 20 %", error.Message);
    }
}
