using Experiments.Runner.Execution.Host;
using Experiments.Runner.Filtering;
using Experiments.Runner.Tests.Infrastructure;

namespace Experiments.Runner.Tests.Filtering;

/// <summary>
/// Filters and counts on the matrix's index arithmetic (<see cref="IndexedExperimentDefinition"/>): a filter that fixes
/// parameters visits only the trials it keeps — a billion-trial matrix is no slower to filter than a small one — and
/// every selection yields exactly the trials, order and indices of filtering the full enumeration.
/// </summary>
public sealed class LargeMatrixTests
{
    private static TestExperiment Billion(int repeats = 1, IReadOnlyList<ExclusionRule>? exclusions = null)
        => new((_, _) => Task.FromResult(TrialResult.Success()), repeats, exclusions ?? [],
            Enumerable.Range(0, 9).Select(p => TestExperiment.Parameter($"P{p}", $"p{p}", false, Enumerable.Range(0, 10).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray())).ToArray());

    [Fact]
    public void A_filter_that_fixes_parameters_of_a_billion_trials_builds_only_the_trials_it_keeps()
    {
        var experiment = Billion();
        Assert.Equal(1_000_000_000, experiment.MatrixSize);
        var filter = TrialFilter.Parse("p3=5&p4=5&p5=5&P6=5&p7=5&p8=5", experiment.Parameters);

        Assert.Equal(1000, filter.Count(experiment));
        Assert.Equal(0, experiment.ValuesLookedUp);
        var trials = filter.Select(experiment).ToList();

        Assert.Equal(1000, trials.Count);
        // Nine values per trial built, and no other trial built.
        Assert.Equal(1000 * 9, experiment.ValuesLookedUp);
        Assert.Equal("p0=0/p1=0/p2=0/p3=5/p4=5/p5=5/p6=5/p7=5/p8=5#1", trials[0].Id);
        Assert.Equal(555_555, trials[0].Index);
        Assert.Equal("p0=9/p1=9/p2=9/p3=5/p4=5/p5=5/p6=5/p7=5/p8=5#1", trials[^1].Id);
        Assert.Equal(999_555_555, trials[^1].Index);
        Assert.All(trials, t => Assert.True(filter.Matches(t)));
    }

    [Fact]
    public void Counting_multiplies_the_values_each_clause_keeps()
    {
        var experiment = Billion(repeats: 2);
        Assert.Equal(2_000_000_000, TrialFilter.All.Count(experiment));
        // 2 values of p0 × 9 of p1 × 10^7 × 2 repeats; wildcards and != restrict a parameter like a list does.
        Assert.Equal(2L * 9 * 10_000_000 * 2, TrialFilter.Parse("p0=1,2&p1!=3", experiment.Parameters).Count(experiment));
        Assert.Equal(10_000_000L * 2, TrialFilter.Parse("p0=1*&p1=1", experiment.Parameters).Count(experiment));
        // Two clauses on one parameter keep what both match.
        Assert.Equal(10_000_000L * 2, TrialFilter.Parse("p0=1,2&p0!=2&p1=0", experiment.Parameters).Count(experiment));
        Assert.Equal(0, TrialFilter.Parse("p0=nothing", experiment.Parameters).Count(experiment));
        Assert.Empty(TrialFilter.Parse("p0=nothing", experiment.Parameters).Select(experiment));
        Assert.Equal(0, experiment.ValuesLookedUp);

        // With a rule: p0=0 with p1=0 removes 10^7 combinations per repeat.
        var ruled = Billion(exclusions: [new ExclusionRule(0, [0], 1, [0])]);
        Assert.Equal(990_000_000, ruled.MatrixSize);
        Assert.Equal(990_000_000, TrialFilter.All.Count(ruled));
        Assert.Equal(9_000_000, TrialFilter.Parse("p0=0&p2=4", ruled.Parameters).Count(ruled));
    }

    [Fact]
    public void Id_clauses_are_checked_on_the_trials_the_parameter_clauses_leave()
    {
        var experiment = Billion(repeats: 2);
        var filter = TrialFilter.Parse("p2=1&p3=2&p4=3&p5=4&p6=5&p7=6&*#2", experiment.Parameters);
        Assert.True(filter.HasIdClauses);

        var trials = filter.Select(experiment).ToList();

        Assert.Equal(1000, trials.Count);
        Assert.All(trials, t => Assert.Equal(2, t.Repeat));
        Assert.Equal(1000, filter.Count(experiment));
        // Both repeats of the 1,000 combinations were built (the id clause needs the id), nothing else.
        Assert.Equal(2 * 2 * 1000 * 9, experiment.ValuesLookedUp);
    }

    [Fact]
    public void A_sweep_plan_over_a_billion_trials_takes_only_the_filtered_ones()
    {
        var experiment = Billion();
        var filter = TrialFilter.Parse("p0=1&p1=2&p2=3&p3=4&p4=5&p5=6", experiment.Parameters);

        var plan = SweepPlan.Create(experiment, filter, [], rerun: false, Shard.Parse("1/4"));

        Assert.Equal(250, plan.Selected);
        Assert.All(plan.Candidates, t => Assert.Equal(1, t.Index % 4));
        Assert.Equal(1000 * 9, experiment.ValuesLookedUp);
    }

    [Fact]
    public void A_trial_is_found_from_its_id_in_a_billion_without_building_another()
    {
        var experiment = Billion(exclusions: [new ExclusionRule(0, [0], 1, [0])]);

        var trial = experiment.FindTrial("p0=9/p1=9/p2=9/p3=9/p4=9/p5=9/p6=9/p7=9/p8=9#1");

        Assert.NotNull(trial);
        Assert.Equal(990_000_000 - 1, trial.Index);
        Assert.Equal(9, experiment.ValuesLookedUp);
        Assert.Null(experiment.FindTrial("p0=0/p1=0/p2=9/p3=9/p4=9/p5=9/p6=9/p7=9/p8=9#1"));
        Assert.Null(experiment.FindTrial("p0=9/p1=9/p2=9/p3=9/p4=9/p5=9/p6=9/p7=9/p8=9#2"));
    }

    public static TheoryData<int> Seeds => new(Enumerable.Range(0, 40));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_matrices_with_rules_select_count_and_index_as_the_full_enumeration(int seed)
    {
        var random = new Random(seed);
        var sizes = Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(1, 5)).ToArray();
        Check(random, sizes, RandomRules(random, sizes, random.Next(0, 5)), random.Next(1, 4), selections: 30);
    }

    [Fact]
    public void Rules_over_a_large_box_are_counted_by_inclusion_exclusion_and_agree()
    {
        // Six ruled parameters of 8 values: a walk of 8^6 per count, so the arithmetic counts by inclusion–exclusion.
        var random = new Random(7);
        var sizes = Enumerable.Repeat(8, 6).ToArray();
        var rules = new List<ExclusionRule>
        {
            new(0, [0, 1], 1, [2]), new(2, [3], 3, [4, 5, 6]), new(4, [7], 5, [0]), new(0, [1], 5, [1, 2]),
        };
        Check(random, sizes, rules, repeats: 2, selections: 12);
    }

    private static List<ExclusionRule> RandomRules(Random random, int[] sizes, int count)
    {
        var rules = new List<ExclusionRule>();
        for (var r = 0; r < count && sizes.Length > 1; r++)
        {
            var first = random.Next(sizes.Length);
            var second = random.Next(sizes.Length - 1);
            second += second >= first ? 1 : 0;
            rules.Add(new ExclusionRule(first, Subset(random, sizes[first]), second, Subset(random, sizes[second])));
        }
        return rules;
    }

    private static int[] Subset(Random random, int count)
    {
        var subset = Enumerable.Range(0, count).Where(_ => random.Next(2) == 0).ToArray();
        return subset.Length > 0 ? subset : [random.Next(count)];
    }

    private static void Check(Random random, int[] sizes, IReadOnlyList<ExclusionRule> rules, int repeats, int selections)
    {
        var parameters = sizes.Select((size, p) => TestExperiment.Parameter($"P{p}", $"p{p}", p % 2 == 0,
            Enumerable.Range(0, size).Select(v => $"v{p}{v}").ToArray())).ToArray();
        var experiment = new TestExperiment((_, _) => Task.FromResult(TrialResult.Success()), repeats, rules, parameters);

        // The reference: every combination in order, the excluded ones skipped, numbered repeat-major.
        var kept = TestExperiment.Combinations(sizes)
            .Where(c => !rules.Any(r => r.FirstValues.Contains(c[r.First]) && r.SecondValues.Contains(c[r.Second])))
            .ToList();
        var reference = Enumerable.Range(1, repeats)
            .SelectMany(repeat => kept.Select((c, i) => (Values: c, Repeat: repeat, Index: ((repeat - 1) * kept.Count) + i)))
            .ToList();
        string IdOf(int[] values, int repeat)
            => TrialId.Format(values.Select((v, p) => (parameters[p].Key, parameters[p].Values[v], parameters[p].BareInId)), repeat);

        Assert.Equal(reference.Count, experiment.MatrixSize);
        Assert.Equal(reference.Select(t => (IdOf(t.Values, t.Repeat), t.Index)), experiment.Trials.Select(t => (t.Id, t.Index)));

        var everything = MatrixSelection.All(parameters);
        for (var s = 0; s < selections; s++)
        {
            var selection = everything;
            for (var p = 0; p < sizes.Length; p++)
            {
                if (random.Next(3) > 0)
                {
                    selection = selection.Where(p, Enumerable.Range(0, sizes[p]).Where(_ => random.Next(2) == 0));
                }
            }
            var expected = reference
                .Where(t => t.Values.Select((v, p) => selection.ValuesOf(p) is not { } values || values.Contains(v)).All(x => x))
                .Select(t => (IdOf(t.Values, t.Repeat), t.Index))
                .ToList();
            Assert.Equal(expected, experiment.TrialsIn(selection).Select(t => (t.Id, t.Index)));
            Assert.Equal(expected.Count, experiment.CountIn(selection));
        }

        foreach (var (values, repeat, index) in reference.Take(500))
        {
            Assert.Equal(index, experiment.FindTrial(IdOf(values, repeat))?.Index);
        }
        foreach (var excluded in TestExperiment.Combinations(sizes).Except(kept, new ArrayComparer()).Take(100))
        {
            Assert.Null(experiment.FindTrial(IdOf(excluded, 1)));
        }
    }

    private sealed class ArrayComparer : IEqualityComparer<int[]>
    {
        public bool Equals(int[]? x, int[]? y) => x!.SequenceEqual(y!);

        public int GetHashCode(int[] obj) => obj.Aggregate(17, (h, v) => (h * 31) + v);
    }
}
