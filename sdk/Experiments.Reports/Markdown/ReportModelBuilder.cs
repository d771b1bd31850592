using System.Globalization;
using Experiments.Reports.Analysis;
using Experiments.Reports.Formatting;
using Experiments.Reports.Markdown.Tables;
using Experiments.Results;

namespace Experiments.Reports.Markdown;

/// <summary>
/// Makes the <see cref="ReportModel"/> a template lays out from a <see cref="ReportAnalysis"/>: escapes and formats
/// what the analysis computed and composes each data set section from its tables (<c>Tables/</c>).
/// </summary>
internal static class ReportModelBuilder
{
    public static ReportModel Build(ReportAnalysis analysis, IReadOnlyList<ReportPlot> plots)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(plots);
        var input = analysis.Input;
        var experiment = input.Experiment;
        var trials = input.Trials;
        var context = analysis.Context;
        var passed = analysis.Passed;

        var builds = passed
            .Where(t => !string.IsNullOrEmpty(t.BuildId))
            .GroupBy(t => t.BuildId!, StringComparer.Ordinal)
            .Select(g => new BuildCount(
                MarkdownText.Escape(g.Key),
                MarkdownText.Escape(MostCommon(g.Select(t => t.SourceRevision)) ?? string.Empty),
                g.Count()))
            .OrderByDescending(b => b.Trials)
            .ThenBy(b => b.BuildId, StringComparer.Ordinal)
            .ToArray();

        return new ReportModel(
            Experiment: Summarise(experiment),
            Runs: CountRuns(trials),
            Environment: DescribeEnvironment(input.Environment, trials, passed, analysis.Hosts),
            Builds: builds,
            MixedBuilds: builds.Length > 1,
            HasFamily: context.FamilyParameter is not null,
            HasMemory: passed.Any(t => ReportConventions.PeakMemoryOf(t) is not null),
            HasWeights: passed.Any(t => ReportConventions.PretrainedOf(t) is not null),
            HasScore: context.HasScore,
            ScoreFormula: context.HasScore
                ? MarkdownText.Escape(experiment.Objective) + " × (fit time + " + experiment.ScoreConstant.ToString("R", CultureInfo.InvariantCulture) + " s)"
                : null,
            PerDataset: context.DatasetParameter is not null,
            Sections: analysis.Sections.Select(section => BuildSection(section, PlotOf(plots, section.Dataset), analysis.Search)).ToArray(),
            Failed: trials
                .Where(t => t.Status == TrialStatus.Failed)
                .Select(t => new FailedTrial(
                    MarkdownText.Escape(t.TrialId),
                    t.Attempt,
                    t.Error is { Length: > 0 } error ? MarkdownText.FirstLine(error) : "(no error recorded)"))
                .ToArray(),
            EpochMetrics: input.EpochMetrics
                .Select(m => new EpochPoint(MarkdownText.Escape(m.TrialId), m.Attempt, m.Epoch, MarkdownText.Escape(m.Name), m.Value))
                .ToArray(),
            Search: analysis.Search is null ? null : SearchSectionBuilder.Build(context, analysis.Search));
    }

    private static DatasetSection BuildSection(SectionAnalysis section, ReportPlot? plot, SearchAnalysis? search)
    {
        var context = section.Context;
        var dataset = section.Dataset;
        var rows = new ConfigurationRows(section);
        var leaderboard = LeaderboardTable.Rows(section, rows);
        var models = context.FamilyParameter is null ? [] : ModelTable.Rows(section);
        return new DatasetSection(
            Dataset: dataset is null ? null : MarkdownText.Escape(dataset),
            Heading: dataset is null ? "Results" : "Dataset: " + MarkdownText.Escape(dataset),
            Passed: section.Passed.Count,
            Leaderboard: leaderboard,
            Uncertainty: LeaderboardTable.Uncertainty(section),
            ScoreTop: LeaderboardTable.ScoreRows(section, rows),
            ScoreUncertainty: LeaderboardTable.ScoreUncertainty(section),
            Families: context.FamilyParameter is null ? [] : FamilyTable.Rows(leaderboard),
            Models: models.Take(LeaderboardTable.ScoreTableSize).ToArray(),
            ModelCount: models.Length,
            ModelUncertainty: context.FamilyParameter is null ? string.Empty : ModelTable.Uncertainty(section),
            ParetoFront: rows.Of(section.ParetoFront),
            ScatterPlot: plot is null ? null : SectionText.Image(section, plot),
            Effects: EffectsTable.Rows(section),
            Shortlist: rows.Of(section.Shortlist.Entries),
            ShortlistUsesMemory: section.Shortlist.MemoryMedian is not null,
            FitTimeMedianText: ReadableFormat.Duration(section.Shortlist.FitTimeMedian),
            MemoryMedianText: ReadableFormat.Memory(section.Shortlist.MemoryMedian),
            DataText: SectionText.DataText(section.Passed),
            BudgetText: SectionText.BudgetText(section.Passed),
            BaselineText: section.Baseline is null ? string.Empty : SectionText.BaselineText(section.Baseline),
            NotLearnt: section.Ranked.Count - section.Learnt.Count,
            LearntSentence: section.Baseline is null ? string.Empty : SectionText.LearntSentence(context, section.Ranked.Count, section.Learnt.Count),
            SearchText: SearchSectionBuilder.SectionText(section, search));
    }

    private static ReportPlot? PlotOf(IReadOnlyList<ReportPlot> plots, string? dataset)
        => plots.FirstOrDefault(p => p is not null && string.Equals(p.Dataset, dataset, StringComparison.Ordinal));

    private static ExperimentSummary Summarise(ExperimentInfo experiment)
    {
        var minimize = experiment.Goal == Goal.Minimize;
        var cells = experiment.Repeats > 0 ? experiment.MatrixSize / experiment.Repeats : experiment.MatrixSize;
        var search = experiment.SearchOrGrid;
        // An adaptive search's matrix has a cell per rung: its configurations are the combinations of the other parameters.
        var configurations = search.IsAdaptive && search.Rungs.Count > 0 ? cells / search.Rungs.Count : cells;
        return new ExperimentSummary(
            MarkdownText.Escape(experiment.Name),
            MarkdownText.Escape(experiment.Objective),
            minimize ? "minimize" : "maximize",
            minimize ? "lower" : "higher",
            experiment.Repeats,
            experiment.MatrixSize,
            configurations,
            experiment.RemovedByRules,
            experiment.Rules.Select(MarkdownText.Escape).ToArray(),
            experiment.Parameters
                .Select(p => new ParameterSummary(
                    MarkdownText.Escape(p.Name),
                    p.Values.Count,
                    string.Join(", ", p.Values.Select(MarkdownText.Escape))))
                .ToArray())
        {
            SearchText = search.IsAdaptive
                ? $"successive halving over {MarkdownText.Escape(search.BudgetParameter ?? string.Empty)} (rungs {string.Join(", ", search.Rungs)}; η = {search.ReductionFactor}): "
                  + $"at most {experiment.MatrixSize} trials, every configuration at the first rung"
                : string.Empty,
        };
    }

    private static RunSummary CountRuns(IReadOnlyList<TrialRecord> trials)
    {
        var compute = trials.Select(t => t.DurationSeconds).OfType<double>().Where(double.IsFinite).Sum();
        return new RunSummary(
            trials.Count,
            trials.Count(t => t.Status == TrialStatus.Passed),
            trials.Count(t => t.Status == TrialStatus.Failed),
            trials.Count(t => t.Status == TrialStatus.Pending),
            trials.Count(t => t.Status == TrialStatus.Running),
            trials.Count(t => t.Status == TrialStatus.Interrupted),
            compute,
            ReadableFormat.Duration(compute));
    }

    private static EnvironmentSummary DescribeEnvironment(
        ReportEnvironment environment, IReadOnlyList<TrialRecord> trials, IReadOnlyList<TrialRecord> passed, IReadOnlyList<HostShare> hosts)
    {
        var devices = trials
            .Where(t => !string.IsNullOrEmpty(t.Device))
            .GroupBy(t => t.Device!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToArray();
        var trialDevices = devices.Length == 1 && devices[0].Key == environment.Device
            ? string.Empty
            : string.Join(", ", devices.Select(g => $"{MarkdownText.Escape(g.Key)} ({g.Count().ToString(CultureInfo.InvariantCulture)})"));
        var revision = environment.SourceRevision ?? MostCommon(passed.Select(t => t.SourceRevision));
        return new EnvironmentSummary(
            ReadableFormat.Date(environment.GeneratedAt),
            MarkdownText.Escape(environment.Machine),
            MarkdownText.Escape(environment.Device),
            revision is null ? "unknown" : MarkdownText.Escape(revision),
            trialDevices,
            hosts.Count,
            HostsText(hosts));
    }

    /// <summary><c>1 host (lab-01)</c>, or <c>3 hosts: node-1 (12 trials), node-2 (11 trials), …</c>; empty without hosts.</summary>
    private static string HostsText(IReadOnlyList<HostShare> hosts) => hosts.Count switch
    {
        0 => string.Empty,
        1 => $"1 host ({MarkdownText.Escape(hosts[0].Host)})",
        _ => string.Create(CultureInfo.InvariantCulture, $"{hosts.Count} hosts: ")
            + string.Join(", ", hosts.Select(h => string.Create(CultureInfo.InvariantCulture,
                $"{MarkdownText.Escape(h.Host)} ({h.Trials} {(h.Trials == 1 ? "trial" : "trials")})"))),
    };

    private static string? MostCommon(IEnumerable<string?> values)
        => values
            .Where(v => !string.IsNullOrEmpty(v))
            .GroupBy(v => v!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .FirstOrDefault();
}
