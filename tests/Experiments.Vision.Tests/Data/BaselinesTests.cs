using Experiments.Vision.Data;

namespace Experiments.Vision.Tests.Data;

public sealed class BaselinesTests
{
    [Fact]
    public void The_majority_class_error_predicts_the_most_frequent_training_class()
    {
        // Class 2 is the most frequent in training (3 of 6); 2 of the 5 validation items are class 2.
        var train = HandMadeDataset.Single(3, 0, 2, 1, 2, 2, 0);
        var valid = HandMadeDataset.Single(3, 2, 0, 1, 2, 1);

        Assert.Equal(0.6, Baselines.MajorityClassError(train, valid), 12);
    }

    [Fact]
    public void Equally_frequent_classes_give_the_lowest_index_as_majority()
    {
        var train = HandMadeDataset.Single(3, 1, 2, 2, 1);

        Assert.Equal(0.0, Baselines.MajorityClassError(train, HandMadeDataset.Single(3, 1, 1)));
        Assert.Equal(1.0, Baselines.MajorityClassError(train, HandMadeDataset.Single(3, 2)));
    }

    [Fact]
    public void The_multi_label_constant_predicts_the_labels_present_on_more_than_half_the_training_items()
    {
        // Training frequencies: class 0 3/4, class 1 2/4 (not above ½), class 2 0/4, class 3 1/4 → predict {0}.
        var train = HandMadeDataset.Multi(4, [0, 1], [0], [0, 3], [1]);
        // Against {0}: [0,1] has 1 wrong label, [2] 2 wrong, [] 1 wrong → 4 wrong of 3 × 4.
        var valid = HandMadeDataset.Multi(4, [0, 1], [2], []);

        Assert.Equal([true, false, false, false], Baselines.ConstantPrediction(train));
        Assert.Equal([3, 2, 0, 1], Baselines.LabelCounts(train));
        Assert.Equal(4.0 / 12, Baselines.MultiLabelConstantError(train, valid), 12);
    }

    [Fact]
    public void Rare_labels_give_the_all_absent_predictor_whose_error_is_the_validation_label_density()
    {
        var train = HandMadeDataset.Multi(5, [0], [1], [2], [3, 4]);
        var valid = HandMadeDataset.Multi(5, [0, 1], [4], [1, 2, 3]);

        Assert.Equal(6.0 / 15, Baselines.MultiLabelConstantError(train, valid), 12);
    }

    [Fact]
    public void An_empty_validation_set_gives_nan_and_an_empty_training_set_is_refused()
    {
        var empty = HandMadeDataset.Single(2);
        var train = HandMadeDataset.Single(2, 0, 1);

        Assert.True(double.IsNaN(Baselines.MajorityClassError(train, empty)));
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => Baselines.MajorityClassError(empty, train)).Message);
    }

    [Fact]
    public void Mismatched_kinds_or_classes_are_refused()
    {
        var single = HandMadeDataset.Single(3, 0, 1);
        var multi = HandMadeDataset.Multi(3, [0], [1, 2]);

        Assert.Contains("single-label", Assert.Throws<ArgumentException>(() => Baselines.MajorityClassError(multi, multi)).Message);
        Assert.Contains("multi-label", Assert.Throws<ArgumentException>(() => Baselines.MultiLabelConstantError(single, single)).Message);
        Assert.Contains("validation set 4", Assert.Throws<ArgumentException>(() => Baselines.MajorityClassError(single, HandMadeDataset.Single(4, 0))).Message);
    }
}
