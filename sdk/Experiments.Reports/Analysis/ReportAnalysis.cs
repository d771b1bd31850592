using Experiments.Results;

namespace Experiments.Reports.Analysis;

/// <summary>
/// The analysis of one experiment's stored results, computed once: one <see cref="SectionAnalysis"/> per data set.
/// The Markdown report (<see cref="MarkdownReport"/>) and the plots (<see cref="ReportPlots"/>) both render from it.
/// </summary>
public sealed class ReportAnalysis
{
    private ReportAnalysis(ReportInput input)
    {
        Input = input;
        Context = new SweepContext(input.Experiment);
        Passed = input.Trials.Where(t => t.Status == TrialStatus.Passed).ToArray();
        Sections = SectionAnalysis.Of(Context, input.Trials);
        Hosts = HostUsage.Of(input.Trials);
        Search = SearchAnalysis.Of(Context, input.Trials, input.OtherExperiments);
    }

    /// <summary>What the analysis was made from.</summary>
    public ReportInput Input { get; }

    internal SweepContext Context { get; }

    internal IReadOnlyList<TrialRecord> Passed { get; }

    internal IReadOnlyList<SectionAnalysis> Sections { get; }

    /// <summary>What an adaptive search did (rungs, budget, winner, the comparison with a grid); null for a grid.</summary>
    internal SearchAnalysis? Search { get; }

    /// <summary>The machines that ran the finished trials, most trials first.</summary>
    public IReadOnlyList<HostShare> Hosts { get; }

    /// <summary>Analyses the results in <paramref name="input"/>.</summary>
    public static ReportAnalysis Of(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ReportAnalysis(input);
    }

    /// <summary>The section of <paramref name="dataset"/> (null: the section of an experiment without a dataset parameter).</summary>
    internal SectionAnalysis? SectionOf(string? dataset)
        => Sections.FirstOrDefault(s => string.Equals(s.Dataset, dataset, StringComparison.Ordinal));
}
