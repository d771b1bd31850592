using Experiments.Runner.Filtering;
using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.Filtering;

public class TrialFilterTests
{
    private static readonly TestExperiment Experiment = new(
        (_, _) => Task.FromResult(TrialResult.Success()),
        TestExperiment.Parameter("Arch", "arch", true, "resnet18", "convnext_atto", "vit_tiny"),
        TestExperiment.Parameter("LearningRate", "lr", false, "0.008", "0.02"),
        TestExperiment.Parameter("Resize", "resize", true, "squish", "pad"));

    private static string[] Select(string? filter)
        => Experiment.Trials.Where(TrialFilter.Parse(filter, Experiment.Parameters).Matches).Select(t => t.Id).ToArray();

    [Theory]
    [InlineData(null, 12)]
    [InlineData("", 12)]
    [InlineData("Arch=resnet18", 4)]
    [InlineData("arch=RESNET18", 4)]
    [InlineData("Arch=convnext*", 4)]
    [InlineData("Arch=convnext*&Resize=squish", 2)]
    [InlineData("Arch=resnet18,vit_*", 8)]
    [InlineData("Arch!=resnet18", 8)]
    [InlineData("Arch!=resnet18,vit*", 4)]
    [InlineData("lr=0.02", 6)]
    [InlineData("LearningRate=0.0*&resize=pad", 6)]
    [InlineData(" Arch = resnet18 & Resize = pad ", 2)]
    [InlineData("*squish*", 6)]
    [InlineData("resnet18/lr=0.008/*", 2)]
    [InlineData("*lr=0.02*", 6)]
    [InlineData("Arch=nothing", 0)]
    public void Selects_trials_by_parameter_values_and_id_globs(string? filter, int expected)
        => Assert.Equal(expected, Select(filter).Length);

    [Fact]
    public void A_clause_without_equals_is_a_glob_over_the_whole_id()
    {
        Assert.Equal(["convnext_atto/lr=0.02/pad#1"], Select("convnext_atto/lr=0.02/pad#1"));
        Assert.Empty(Select("convnext_atto"));
    }

    [Fact]
    public void Unknown_parameter_names_are_an_error_that_lists_the_parameters()
    {
        var error = Assert.Throws<FilterException>(() => TrialFilter.Parse("Colour=red", Experiment.Parameters));
        Assert.Contains("Unknown parameter 'Colour'", error.Message);
        Assert.Contains("Arch", error.Message);
        Assert.Contains("LearningRate (lr)", error.Message);
        Assert.Contains("Resize", error.Message);
    }

    [Theory]
    [InlineData("Arch=resnet18&&Resize=pad", "empty clause")]
    [InlineData("Arch=resnet18&", "empty clause")]
    [InlineData("=resnet18", "no parameter name")]
    [InlineData("Arch=", "empty value")]
    [InlineData("Arch=a,,b", "empty value")]
    public void Malformed_filters_are_errors(string filter, string expected)
    {
        var error = Assert.Throws<FilterException>(() => TrialFilter.Parse(filter, Experiment.Parameters));
        Assert.Contains(expected, error.Message);
    }
}
