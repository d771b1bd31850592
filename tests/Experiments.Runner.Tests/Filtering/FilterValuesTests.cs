using Experiments.Runner.Filtering;

namespace Experiments.Runner.Tests.Filtering;

public class FilterValuesTests
{
    private static readonly ParameterDefinition[] Parameters =
    [
        new("Arch", "arch", "string", true, ["resnet18", "vit_tiny"]),
        new("Hidden", "hidden", "int", false, ["8", "32"]),
        new("Augment", "augment", "bool", false, ["false", "true"]),
    ];

    private static FilterValueCheck Check(string filter) => FilterValues.Check(TrialFilter.Parse(filter, Parameters), Parameters);

    [Theory]
    [InlineData("Hidden=32")]
    [InlineData("Arch=VIT_*&hidden=8,32")]
    [InlineData("resnet*")]
    [InlineData("Augment=TRUE")]
    public void Values_some_trial_has_give_no_warning(string filter)
    {
        var check = Check(filter);

        Assert.Empty(check.Warnings);
        Assert.False(check.SelectsNothing);
    }

    [Theory]
    [InlineData("Hidden=abc", "Hidden is an int parameter and 'abc' is not a whole number; its values: 8, 32.")]
    [InlineData("Hidden=16", "no value of Hidden is '16' (int); its values: 8, 32.")]
    [InlineData("Augment=yes", "Augment is a bool parameter and 'yes' is not true or false; its values: false, true.")]
    [InlineData("Arch=convnext*", "no value of Arch matches 'convnext*' (string); its values: resnet18, vit_tiny.")]
    public void A_value_no_trial_has_is_named_with_the_type_and_the_values_and_selects_nothing(string filter, string warning)
    {
        var check = Check(filter);

        Assert.Equal(warning, Assert.Single(check.Warnings));
        Assert.True(check.SelectsNothing);
    }

    [Theory]
    [InlineData("Hidden=8,16")]
    [InlineData("Hidden!=16")]
    public void One_unknown_alternative_or_an_unknown_excluded_value_warns_but_still_selects(string filter)
    {
        var check = Check(filter);

        Assert.Contains("'16'", Assert.Single(check.Warnings));
        Assert.False(check.SelectsNothing);
    }
}
