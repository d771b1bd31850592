using Experiments.Reports.Analysis;
using Experiments.Reports.Markdown;
using Experiments.Reports.Tests.Fixtures;
using Experiments.Results;
using static Experiments.Reports.Tests.Fixtures.SmallSweep;

namespace Experiments.Reports.Tests;

public sealed class ReportModelTests
{
    [Fact]
    public void Minimize_ranks_the_lowest_mean_first()
    {
        var model = ReportModel.Build(Input(Experiment(Goal.Minimize),
            Passed("a", 1, 0.30), Passed("b", 1, 0.10), Passed("c", 1, 0.20)));

        Assert.Equal(["b", "c", "a"], model.Sections.Single().Leaderboard.Select(e => e.Configuration));
        Assert.Equal([1, 2, 3], model.Sections.Single().Leaderboard.Select(e => e.Rank));
        Assert.True(model.HasScore);
    }

    [Fact]
    public void Maximize_ranks_the_highest_mean_first_and_has_no_score()
    {
        var model = ReportModel.Build(Input(Experiment(Goal.Maximize, "accuracy"),
            Passed("a", 1, 0.30, objectiveName: "accuracy"),
            Passed("b", 1, 0.10, objectiveName: "accuracy"),
            Passed("c", 1, 0.20, objectiveName: "accuracy")));

        var section = model.Sections.Single();
        Assert.Equal(["a", "c", "b"], section.Leaderboard.Select(e => e.Configuration));
        Assert.False(model.HasScore);
        Assert.Empty(section.ScoreTop);
        Assert.Equal("higher", model.Experiment.Better);
    }

    [Fact]
    public void Mean_and_sample_standard_deviation_over_repeats()
    {
        var model = ReportModel.Build(Input(Experiment(repeats: 4),
            Passed("a", 1, 1), Passed("a", 2, 2), Passed("a", 3, 3), Passed("a", 4, 4)));

        var entry = model.Sections.Single().Leaderboard.Single();
        Assert.Equal(2.5, entry.Objective!.Value, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3.0), entry.ObjectiveStd!.Value, 12);
        // 95 % interval: mean ± t(0.975, 3) · s / √4, t = 3.182446.
        Assert.Equal(2.5 - 3.182446305 * Math.Sqrt(5.0 / 3.0) / 2, entry.ObjectiveLow!.Value, 6);
        Assert.Equal(4, entry.Runs);
        Assert.Equal("2.500 ± 1.291", entry.ObjectiveText);
    }

    [Fact]
    public void Score_is_objective_times_fit_time_plus_constant_averaged_over_repeats()
    {
        var model = ReportModel.Build(Input(Experiment(),
            Passed("a", 1, 0.1, fitTime: 20), Passed("a", 2, 0.2, fitTime: 40),
            Passed("b", 1, 0.05, fitTime: 400)));

        var section = model.Sections.Single();
        var a = section.Leaderboard.Single(e => e.Configuration == "a");
        Assert.Equal((0.1 * 100 + 0.2 * 120) / 2, a.Score!.Value, 12);
        Assert.Equal(30, a.FitTime!.Value, 12);
        // b has the better loss (rank 1) but the worse score (0.05 × 480 = 24 > 17).
        Assert.Equal(["b", "a"], section.Leaderboard.Select(e => e.Configuration));
        Assert.Equal(["a", "b"], section.ScoreTop.Select(e => e.Configuration));
        Assert.Equal([1, 2], section.ScoreTop.Select(e => e.ScoreRank));
    }

    [Fact]
    public void Entries_whose_interval_overlaps_the_leaders_are_marked_as_noise()
    {
        var model = ReportModel.Build(Input(Experiment(),
            // a: 0.100 ± small; b overlaps a; c is far away.
            Passed("a", 1, 0.100), Passed("a", 2, 0.104), Passed("a", 3, 0.096),
            Passed("b", 1, 0.103), Passed("b", 2, 0.108), Passed("b", 3, 0.098),
            Passed("c", 1, 0.300), Passed("c", 2, 0.305), Passed("c", 3, 0.296)));

        var section = model.Sections.Single();
        var (a, b, c) = (section.Leaderboard[0], section.Leaderboard[1], section.Leaderboard[2]);
        Assert.Equal(("a", "b", "c"), (a.Configuration, b.Configuration, c.Configuration));
        Assert.False(a.WithinNoise);
        Assert.True(b.WithinNoise);
        Assert.Equal("≈ within noise of #1", b.Note);
        Assert.False(c.WithinNoise);
        Assert.Equal(string.Empty, c.Note);
        Assert.StartsWith("1 of the 2 other configurations is statistically indistinguishable from #1", section.Uncertainty);
    }

    [Fact]
    public void Configurations_not_better_than_the_baseline_beyond_noise_are_not_learnt_and_make_no_claims()
    {
        // Baseline 0.50. a and b beat it clearly; c's interval reaches above it; d is worse; e's single run is below it.
        var model = ReportModel.Build(Input(Experiment(repeats: 3),
            Passed("a", 1, 0.20, fitTime: 30, baseline: 0.5), Passed("a", 2, 0.21, fitTime: 30, baseline: 0.5), Passed("a", 3, 0.19, fitTime: 30, baseline: 0.5),
            Passed("b", 1, 0.30, fitTime: 20, baseline: 0.5), Passed("b", 2, 0.31, fitTime: 20, baseline: 0.5), Passed("b", 3, 0.29, fitTime: 20, baseline: 0.5),
            Passed("c", 1, 0.20, fitTime: 1, baseline: 0.5), Passed("c", 2, 0.70, fitTime: 1, baseline: 0.5), Passed("c", 3, 0.45, fitTime: 1, baseline: 0.5),
            Passed("d", 1, 0.55, fitTime: 2, baseline: 0.5), Passed("d", 2, 0.56, fitTime: 2, baseline: 0.5), Passed("d", 3, 0.54, fitTime: 2, baseline: 0.5)));

        var section = model.Sections.Single();
        Assert.Equal("0.5000", section.BaselineText);
        Assert.Equal(2, section.NotLearnt);
        Assert.Equal(["a", "b", "c", "d"], section.Leaderboard.Select(e => e.Configuration));
        Assert.Equal([true, true, false, false], section.Leaderboard.Select(e => e.Learnt));
        Assert.Equal(Experiments.Reports.Markdown.Tables.Notes.NotLearnt, section.Leaderboard[2].Note);
        Assert.False(section.Leaderboard[2].WithinNoise);
        Assert.StartsWith("2 of 4 configurations are not lower than the baseline", section.LearntSentence);
        // Only learnt configurations are compared with #1 (c's wide interval overlaps a's but says nothing).
        Assert.StartsWith("No other configuration's 95 % confidence interval overlaps #1's", section.Uncertainty);
        // c and d are the fastest, yet neither is on the front nor on the shortlist.
        Assert.Equal(["b", "a"], section.ParetoFront.Select(e => e.Configuration));
        Assert.DoesNotContain(section.Shortlist, e => !e.Learnt);
    }

    [Fact]
    public void When_nothing_beats_the_baseline_the_section_says_so_and_ranks_nothing_as_a_claim()
    {
        var model = ReportModel.Build(Input(Experiment(repeats: 2),
            Passed("a", 1, 0.49, baseline: 0.497), Passed("a", 2, 0.50, baseline: 0.497),
            Passed("b", 1, 0.52, baseline: 0.497), Passed("b", 2, 0.53, baseline: 0.497)));

        var section = model.Sections.Single();
        Assert.All(section.Leaderboard, e => Assert.False(e.Learnt));
        Assert.Contains("nothing was learnt here", section.LearntSentence);
        Assert.Empty(section.ParetoFront);
        Assert.Empty(section.Shortlist);
        Assert.Equal(string.Empty, section.Uncertainty);
        Assert.DoesNotContain("beyond the noise of the repeats: its lead", MarkdownReport.Render(Input(Experiment(repeats: 2),
            Passed("a", 1, 0.49, baseline: 0.497), Passed("a", 2, 0.50, baseline: 0.497))));
    }

    [Fact]
    public void Without_a_baseline_metric_every_configuration_counts_as_learnt()
    {
        var model = ReportModel.Build(Input(Experiment(), Passed("a", 1, 0.9), Passed("b", 1, 0.95)));

        var section = model.Sections.Single();
        Assert.Equal(string.Empty, section.BaselineText);
        Assert.Equal(0, section.NotLearnt);
        Assert.All(section.Leaderboard, e => Assert.True(e.Learnt));
        Assert.DoesNotContain("**Baseline:**", MarkdownReport.Render(Input(Experiment(), Passed("a", 1, 0.9))));
    }

    [Fact]
    public void The_budget_line_says_the_fits_wall_clock_budget_and_only_when_a_trial_reports_one()
    {
        static TrialRecord With(TrialRecord trial, double budget)
        {
            ((Dictionary<string, double>)trial.Metrics)[MetricNames.FitBudget] = budget;
            return trial;
        }

        var same = ReportModel.Build(Input(Experiment(), With(Passed("a", 1, 0.2), 120), With(Passed("b", 1, 0.3), 120)));
        var range = ReportModel.Build(Input(Experiment(), With(Passed("a", 1, 0.2), 30), With(Passed("b", 1, 0.3), 120)));
        var some = ReportModel.Build(Input(Experiment(), With(Passed("a", 1, 0.2), 45.5), Passed("b", 1, 0.3)));

        Assert.Equal("2m 00s per fit", same.Sections.Single().BudgetText);
        Assert.Equal("30.0 s–2m 00s per fit", range.Sections.Single().BudgetText);
        Assert.Equal("45.5 s per fit (1 of 2 runs without one)", some.Sections.Single().BudgetText);
        Assert.Equal(string.Empty, ReportModel.Build(Input(Experiment(), Passed("a", 1, 0.2))).Sections.Single().BudgetText);
        Assert.Contains("**Fit budget:** 2m 00s per fit (the trials' `fit_budget`)",
            MarkdownReport.Render(Input(Experiment(), With(Passed("a", 1, 0.2), 120))));
        Assert.DoesNotContain("**Fit budget:**", MarkdownReport.Render(Input(Experiment(), Passed("a", 1, 0.2))));
    }

    [Fact]
    public void The_data_line_says_what_the_trials_trained_and_validated_on_and_whether_it_was_a_sample()
    {
        static TrialRecord With(TrialRecord trial, double train, double valid, double? sample)
        {
            var metrics = (Dictionary<string, double>)trial.Metrics;
            metrics[MetricNames.TrainImages] = train;
            metrics[MetricNames.ValidImages] = valid;
            if (sample is { } value)
            {
                metrics[MetricNames.DataSample] = value;
            }
            return trial;
        }

        var sample = ReportModel.Build(Input(Experiment(), With(Passed("a", 1, 0.2), 1000, 200, 1), With(Passed("b", 1, 0.3), 1000, 200, 1)));
        var mixed = ReportModel.Build(Input(Experiment(), With(Passed("a", 1, 0.2), 1000, 200, 1), With(Passed("b", 1, 0.3), 2000, 1000, 0)));
        var unknown = ReportModel.Build(Input(Experiment(), With(Passed("a", 1, 0.2), 400, 100, null)));

        Assert.Equal("1,000 training and 200 validation images, a packaged sample of the full data set", sample.Sections.Single().DataText);
        Assert.Equal("1,000–2,000 training and 200–1,000 validation images, some trials on a packaged sample and some on the full data set", mixed.Sections.Single().DataText);
        Assert.Equal("400 training and 100 validation images", unknown.Sections.Single().DataText);
        Assert.Equal(string.Empty, ReportModel.Build(Input(Experiment(), Passed("a", 1, 0.2))).Sections.Single().DataText);
        Assert.Contains("**Data:** 1,000 training and 200 validation images, a packaged sample of the full data set.",
            MarkdownReport.Render(Input(Experiment(), With(Passed("a", 1, 0.2), 1000, 200, 1))));
    }

    [Fact]
    public void A_clear_leader_is_said_to_be_beyond_the_noise()
    {
        var model = ReportModel.Build(Input(Experiment(),
            Passed("a", 1, 0.10), Passed("a", 2, 0.11),
            Passed("b", 1, 0.50), Passed("b", 2, 0.51)));

        Assert.Contains("beyond the noise", model.Sections.Single().Uncertainty);
        Assert.DoesNotContain(model.Sections.Single().Leaderboard, e => e.WithinNoise);
    }

    [Fact]
    public void Single_runs_have_no_interval_and_the_report_says_so()
    {
        var model = ReportModel.Build(Input(Experiment(repeats: 1),
            Passed("a", 1, 0.10), Passed("b", 1, 0.11)));

        var section = model.Sections.Single();
        Assert.Contains("no confidence interval is available", section.Uncertainty);
        Assert.All(section.Leaderboard, e => Assert.Null(e.ObjectiveLow));
        Assert.All(section.Leaderboard, e => Assert.False(e.WithinNoise));
        Assert.Equal("0.1000", section.Leaderboard[0].ObjectiveText);
    }

    [Fact]
    public void A_single_run_among_repeated_entries_is_noted()
    {
        var model = ReportModel.Build(Input(Experiment(),
            Passed("a", 1, 0.10), Passed("a", 2, 0.11), Passed("b", 1, 0.2)));

        var b = model.Sections.Single().Leaderboard.Single(e => e.Configuration == "b");
        Assert.Equal("1 run, no interval", b.Note);
        Assert.Contains("1 configuration has a single passed run", model.Sections.Single().Uncertainty);
    }

    [Fact]
    public void Family_metadata_adds_families_grouped_by_best_entry()
    {
        var model = ReportModel.Build(SyntheticSweep.Create());

        Assert.True(model.HasFamily);
        var pets = model.Sections.First();
        Assert.Equal(["convnext", "vit", "resnet-d", "resnet"], pets.Families.Select(f => f.Family));
        Assert.Equal("convnext", pets.Leaderboard[0].Family);
        Assert.Equal("convnext_tiny", pets.Leaderboard[0].Model);
        Assert.Equal(2, pets.Families[0].Configurations);
    }

    [Fact]
    public void Without_family_metadata_there_is_no_family()
    {
        var model = ReportModel.Build(Input(Experiment(), Passed("a", 1, 0.1)));

        Assert.False(model.HasFamily);
        Assert.Empty(model.Sections.Single().Families);
    }

    [Fact]
    public void A_dataset_parameter_splits_the_report_per_dataset_value()
    {
        var model = ReportModel.Build(SyntheticSweep.Create());

        Assert.True(model.PerDataset);
        Assert.Equal(["Dataset: pets", "Dataset: planet"], model.Sections.Select(s => s.Heading));
        // The dataset is the section, not part of each configuration's label, nor an effect.
        Assert.All(model.Sections.SelectMany(s => s.Leaderboard), e => Assert.DoesNotContain("pets", e.Configuration));
        Assert.All(model.Sections, s => Assert.Equal(["Arch", "LearningRate"], s.Effects.Select(e => e.Name)));
    }

    [Fact]
    public void Dataset_parameter_is_found_whatever_its_case()
    {
        var experiment = Experiment(parameters:
        [
            new ParameterDefinition("DATASET", "ds", "string", true, ["x", "y"]),
            new ParameterDefinition("Model", "model", "string", true, ["a", "b"]),
        ]);
        var model = ReportModel.Build(Input(experiment,
            Passed("", 1, 0.1, parameters: [new("DATASET", "x"), new("Model", "a")]),
            Passed("", 1, 0.2, parameters: [new("DATASET", "y"), new("Model", "b")])));

        Assert.Equal(["x", "y"], model.Sections.Select(s => s.Dataset));
        Assert.Equal("a", model.Sections[0].Leaderboard.Single().Configuration);
    }

    [Fact]
    public void Parameter_effects_give_the_mean_per_value_and_mark_the_best()
    {
        var experiment = Experiment(parameters:
        [
            new ParameterDefinition("Model", "model", "string", true, ["a", "b"]),
            new ParameterDefinition("LearningRate", "lr", "double", false, ["0.1", "0.2", "0.3"]),
            new ParameterDefinition("Fixed", "fixed", "int", false, ["1"]),
        ]);
        TrialRecord Run(string model, string lr, double loss)
            => Passed("", 1, loss, parameters: [new("Model", model), new("LearningRate", lr), new("Fixed", "1")]);
        var built = ReportModel.Build(Input(experiment,
            Run("a", "0.1", 0.4), Run("b", "0.1", 0.2), Run("a", "0.2", 0.1), Run("b", "0.2", 0.3)));

        var effects = built.Sections.Single().Effects;
        Assert.Equal(["Model", "LearningRate"], effects.Select(e => e.Name));
        var lr = effects[1].Values;
        Assert.Equal(["0.1", "0.2", "0.3"], lr.Select(v => v.Value));
        Assert.Equal([0.3, 0.2], lr.Take(2).Select(v => Math.Round(v.Mean!.Value, 12)));
        Assert.Equal([2, 2, 0], lr.Select(v => v.Trials));
        Assert.Equal([false, true, false], lr.Select(v => v.Best));
        Assert.Equal("—", lr[2].MeanText);
        Assert.Equal("a/lr=0.1/fixed=1", built.Sections.Single().Leaderboard.Last().Configuration);
    }

    [Fact]
    public void Shortlist_keeps_configurations_faster_and_smaller_than_the_median()
    {
        const double MiB = 1024 * 1024;
        var experiment = Experiment(parameters: [new ParameterDefinition("Model", "model", "string", true, ["a", "b", "c", "d"])]);
        var model = ReportModel.Build(Input(experiment,
            Passed("a", 1, 0.40, fitTime: 10, peakMemory: 100 * MiB),
            Passed("b", 1, 0.10, fitTime: 50, peakMemory: 100 * MiB),
            Passed("c", 1, 0.30, fitTime: 12, peakMemory: 900 * MiB),
            Passed("d", 1, 0.20, fitTime: 11, peakMemory: 200 * MiB)));

        var section = model.Sections.Single();
        // Fit median 11.5 s: a, d are faster; memory median 150 MiB: only a is also smaller.
        Assert.True(section.ShortlistUsesMemory);
        Assert.Equal(["a"], section.Shortlist.Select(e => e.Configuration));
        Assert.Equal("11.5 s", section.FitTimeMedianText);
        Assert.Equal("150.0 MiB", section.MemoryMedianText);
    }

    [Fact]
    public void Pareto_front_keeps_undominated_configurations_fastest_first()
    {
        var experiment = Experiment(parameters: [new ParameterDefinition("Model", "model", "string", true, ["a", "b", "c", "d"])]);
        var model = ReportModel.Build(Input(experiment,
            Passed("a", 1, 0.10, fitTime: 50),
            Passed("b", 1, 0.20, fitTime: 10),
            Passed("c", 1, 0.30, fitTime: 20),
            Passed("d", 1, 0.15, fitTime: 30)));

        // c is slower and worse than b; the others each win for some time budget.
        Assert.Equal(["b", "d", "a"], model.Sections.Single().ParetoFront.Select(e => e.Configuration));
    }

    [Fact]
    public void Shortlist_without_memory_uses_fit_time_only_sorted_by_objective()
    {
        var experiment = Experiment(parameters: [new ParameterDefinition("Model", "model", "string", true, ["a", "b", "c", "d"])]);
        var model = ReportModel.Build(Input(experiment,
            Passed("a", 1, 0.40, fitTime: 10), Passed("b", 1, 0.10, fitTime: 50),
            Passed("c", 1, 0.30, fitTime: 12), Passed("d", 1, 0.20, fitTime: 11)));

        var section = model.Sections.Single();
        Assert.False(section.ShortlistUsesMemory);
        Assert.Equal(["d", "a"], section.Shortlist.Select(e => e.Configuration));
    }

    [Fact]
    public void Passed_trials_from_several_builds_are_counted()
    {
        var model = ReportModel.Build(SyntheticSweep.Create());

        Assert.True(model.MixedBuilds);
        Assert.Equal(["mvid-a1f3", "mvid-b2c4"], model.Builds.Select(b => b.BuildId));
        Assert.Equal(model.Runs.Passed, model.Builds.Sum(b => b.Trials));

        var single = ReportModel.Build(Input(Experiment(), Passed("a", 1, 0.1), Passed("b", 1, 0.2)));
        Assert.False(single.MixedBuilds);
    }

    [Fact]
    public void Counts_statuses_compute_time_and_failures()
    {
        var model = ReportModel.Build(SyntheticSweep.Create());

        Assert.Equal(42, model.Runs.Total);
        Assert.Equal((35, 3, 2, 1, 1), (model.Runs.Passed, model.Runs.Failed, model.Runs.Pending, model.Runs.Running, model.Runs.Interrupted));
        Assert.Equal(3, model.Failed.Count);
        var oom = model.Failed.Single(f => f.TrialId == "pets/resnet18/lr=0.008#3");
        Assert.Equal(@"CUDA out of memory \| tried to allocate 2.00 GiB", oom.Reason);
        Assert.Equal(2, oom.Attempt);
        Assert.Equal("29m 59s", model.Runs.ComputeText);
    }

    [Fact]
    public void Passed_trials_without_the_objective_come_last_without_a_value()
    {
        var trial = Passed("a", 1, 0.1, objectiveName: "other");
        var model = ReportModel.Build(Input(Experiment(), trial, Passed("b", 1, 0.5)));

        var leaderboard = model.Sections.Single().Leaderboard;
        Assert.Equal(["b", "a"], leaderboard.Select(e => e.Configuration));
        Assert.Equal("—", leaderboard[1].ObjectiveText);
    }

    [Fact]
    public void By_model_pools_every_configuration_of_a_model_and_ranks_by_score()
    {
        var input = SyntheticSweep.Create();
        var section = ReportModel.Build(input).Sections[0];

        Assert.Equal(["convnext_tiny", "vit_small", "resnet26d", "resnet18"], section.Models.Select(m => m.Model));
        Assert.Equal([1, 2, 3, 4], section.Models.Select(m => m.Rank));
        var resnet18 = section.Models.Single(m => m.Model == "resnet18");
        Assert.Equal(("resnet", 2, 5), (resnet18.Family, resnet18.Configurations, resnet18.Runs));
        var runs = input.Trials.Where(t => t.Status == TrialStatus.Passed && t.TrialId.StartsWith("pets/resnet18/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(runs.Average(t => t.Metrics["error_rate"] * (t.Metrics["fit_time"] + 80)), resnet18.Score!.Value, 12);
        Assert.Equal(runs.Average(t => t.Metrics["peak_memory"]), resnet18.PeakMemory!.Value, 6);
        Assert.Equal(4, section.ModelCount);
        Assert.Equal([false, true, true, false], section.Models.Select(m => m.WithinNoise));
        Assert.StartsWith("2 of the 3 other models are statistically indistinguishable from #1", section.ModelUncertainty);
    }

    [Fact]
    public void By_model_shows_the_top_15_of_more_models_and_needs_families()
    {
        var names = Enumerable.Range(1, 17).Select(i => $"m{i:00}").ToArray();
        var parameters = new[]
        {
            new ParameterDefinition("Model", "model", "string", true, names,
                names.Select(_ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { ["family"] = "f" }).ToArray()),
        };
        var trials = names.Select((name, i) => Passed(name, 1, 0.01 * (i + 1))).ToArray();

        var section = ReportModel.Build(Input(Experiment(parameters: parameters), trials)).Sections.Single();
        Assert.Equal(15, section.Models.Count);
        Assert.Equal(17, section.ModelCount);
        Assert.Equal("m01", section.Models[0].Model);
        Assert.Contains("top 15 of 17", MarkdownReport.Render(Input(Experiment(parameters: parameters), trials)));

        var withoutFamilies = ReportModel.Build(Input(Experiment(), Passed("a", 1, 0.1))).Sections.Single();
        Assert.Empty(withoutFamilies.Models);
        Assert.DoesNotContain("By family and model", MarkdownReport.Render(Input(Experiment(), Passed("a", 1, 0.1))));
    }

    [Fact]
    public void When_every_other_entry_is_within_noise_the_sentence_says_all()
    {
        var model = ReportModel.Build(Input(Experiment(),
            Passed("a", 1, 0.10), Passed("a", 2, 0.12),
            Passed("b", 1, 0.11), Passed("b", 2, 0.13),
            Passed("c", 1, 0.105), Passed("c", 2, 0.125),
            Passed("d", 1, 0.107), Passed("d", 2, 0.127)));

        Assert.StartsWith("All 3 other configurations are statistically indistinguishable from #1", model.Sections.Single().Uncertainty);
    }

    [Fact]
    public void When_both_other_entries_are_within_noise_the_sentence_says_both()
    {
        var model = ReportModel.Build(Input(Experiment(),
            Passed("a", 1, 0.10), Passed("a", 2, 0.12),
            Passed("b", 1, 0.11), Passed("b", 2, 0.13),
            Passed("c", 1, 0.105), Passed("c", 2, 0.125)));

        Assert.StartsWith("Both other configurations are statistically indistinguishable from #1", model.Sections.Single().Uncertainty);
    }
}
