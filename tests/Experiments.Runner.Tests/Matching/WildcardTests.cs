namespace Experiments.Runner.Tests.Matching;

/// <summary>The one wildcard rule, shared by [Exclude] rules (in the generator) and run --filter.</summary>
public class WildcardTests
{
    [Theory]
    [InlineData("*", "", true)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("a*c", "abc", true)]
    [InlineData("a*c", "ac", true)]
    [InlineData("a*c", "abd", false)]
    [InlineData("*b*", "abc", true)]
    [InlineData("a**b", "ab", true)]
    [InlineData("*a*b", "xaxxbyb", true)]
    [InlineData("abc", "ABC", true)]
    [InlineData("VIT_*", "vit_tiny", true)]
    [InlineData("vit_*", "ViT_Base", true)]
    [InlineData("ab", "abc", false)]
    [InlineData("a?c", "abc", false)]
    [InlineData("a.c", "abc", false)]
    [InlineData("lr=0.0*#1", "lr=0.008#1", true)]
    public void A_star_matches_any_run_of_characters_and_letters_match_regardless_of_case(string pattern, string text, bool expected)
        => Assert.Equal(expected, Wildcard.IsMatch(pattern, text));

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => Wildcard.IsMatch(null!, "a"));
        Assert.Throws<ArgumentNullException>(() => Wildcard.IsMatch("a", null!));
    }
}
