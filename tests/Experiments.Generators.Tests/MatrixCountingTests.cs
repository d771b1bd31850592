using Experiments.Generators.Matrix;
using Experiments.Generators.Model;

namespace Experiments.Generators.Tests;

/// <summary>The build-time count of removed combinations agrees with brute force, whichever way it is counted.</summary>
public sealed class MatrixCountingTests
{
    [Fact]
    public void Walking_and_inclusion_exclusion_agree_with_brute_force()
    {
        var random = new Random(12345);
        for (var round = 0; round < 300; round++)
        {
            var sizes = Enumerable.Range(0, random.Next(2, 6)).Select(_ => random.Next(1, 5)).ToArray();
            var parameters = sizes.Select((n, i) => new ParameterModel($"P{i}", $"p{i}", "int", "public", false,
                Enumerable.Range(0, n).Select(v => v.ToString()).ToEquatableArray(),
                Enumerable.Range(0, n).Select(v => v.ToString()).ToEquatableArray(),
                Enumerable.Repeat("", n).ToEquatableArray())).ToList();
            var rules = Enumerable.Range(0, random.Next(0, 7)).Select(_ =>
            {
                var first = random.Next(sizes.Length);
                var second = (first + 1 + random.Next(sizes.Length - 1)) % sizes.Length;
                EquatableArray<int> Pick(int p) => Enumerable.Range(0, sizes[p]).Where(_ => random.Next(2) == 0).DefaultIfEmpty(0).Distinct().ToEquatableArray();
                return new PairRule(first, Pick(first), second, Pick(second));
            }).ToList();

            var expected = BruteForce(sizes, rules);
            Assert.Equal(expected, MatrixExpander.CountByWalking(parameters, rules));
            Assert.Equal(expected, MatrixExpander.CountByInclusionExclusion(parameters, rules));
            Assert.Equal(expected, MatrixExpander.CountRemoved(parameters, rules));
        }
    }

    [Fact]
    public void Products_saturate_instead_of_overflowing()
    {
        Assert.Equal(MatrixExpander.Saturated, MatrixExpander.Product(Enumerable.Repeat(1000L, 30)));
        Assert.Equal(MatrixExpander.Saturated, MatrixExpander.Multiply(MatrixExpander.Saturated, int.MaxValue));
        Assert.Equal(6, MatrixExpander.Multiply(2, 3));
        Assert.Equal(0, MatrixExpander.Multiply(0, int.MaxValue));
    }

    private static long BruteForce(int[] sizes, IReadOnlyList<PairRule> rules)
    {
        long removed = 0;
        var index = new int[sizes.Length];
        while (true)
        {
            if (rules.Any(r => r.FirstValues.Contains(index[r.First]) && r.SecondValues.Contains(index[r.Second])))
            {
                removed++;
            }
            var p = sizes.Length - 1;
            while (p >= 0 && ++index[p] == sizes[p])
            {
                index[p] = 0;
                p--;
            }
            if (p < 0)
            {
                return removed;
            }
        }
    }
}
