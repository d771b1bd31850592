namespace Experiments.Reports.Markdown;

/// <summary>
/// The results of one dataset (or of the whole experiment when it has no dataset parameter): leaderboard, score
/// table, families and models, Pareto front, scatter plot, parameter effects and the fast shortlist. When the trials
/// report a baseline (<c>baseline_{objective}</c>), <see cref="BaselineText"/> is its value and entries that do not beat
/// it beyond noise are marked not learnt (<see cref="LeaderboardEntry.Learnt"/>); empty when there is none. In an
/// adaptive search, <see cref="SearchText"/> says which rung the tables compare (empty in a grid).
/// </summary>
public sealed record DatasetSection(
    string? Dataset,
    string Heading,
    int Passed,
    IReadOnlyList<LeaderboardEntry> Leaderboard,
    string Uncertainty,
    IReadOnlyList<LeaderboardEntry> ScoreTop,
    string ScoreUncertainty,
    IReadOnlyList<FamilySummary> Families,
    IReadOnlyList<ModelEntry> Models,
    int ModelCount,
    string ModelUncertainty,
    IReadOnlyList<LeaderboardEntry> ParetoFront,
    PlotImage? ScatterPlot,
    IReadOnlyList<ParameterEffect> Effects,
    IReadOnlyList<LeaderboardEntry> Shortlist,
    bool ShortlistUsesMemory,
    string FitTimeMedianText,
    string MemoryMedianText,
    string DataText,
    string BudgetText,
    string BaselineText,
    int NotLearnt,
    string LearntSentence,
    string SearchText = "");

/// <summary>One configuration (parameter combination) summarised over its passed repeats.</summary>
public sealed record LeaderboardEntry(
    int Rank,
    string ConfigurationId,
    string Configuration,
    string Family,
    string Model,
    int Runs,
    double? Objective,
    double? ObjectiveStd,
    double? ObjectiveLow,
    double? ObjectiveHigh,
    string ObjectiveText,
    double? FitTime,
    string FitTimeText,
    double? PeakMemory,
    string PeakMemoryText,
    double? Score,
    string ScoreText,
    int ScoreRank,
    bool WithinNoise,
    string Note,
    bool ScoreWithinNoise,
    string ScoreNote,
    bool Learnt);

/// <summary>A model family: its best configuration and how many configurations and runs it has.</summary>
public sealed record FamilySummary(
    string Family,
    int BestRank,
    string BestConfiguration,
    string BestObjectiveText,
    int Configurations,
    int Runs);

/// <summary>
/// One model (a value of the parameter with family metadata) over all its passed runs — every value of the other
/// parameters and every repeat — a pivot by dataset, family and model.
/// </summary>
public sealed record ModelEntry(
    int Rank,
    string Family,
    string Model,
    int Configurations,
    int Runs,
    double? Objective,
    double? ObjectiveStd,
    string ObjectiveText,
    double? FitTime,
    string FitTimeText,
    double? PeakMemory,
    string PeakMemoryText,
    double? Score,
    string ScoreText,
    bool WithinNoise,
    string Note,
    string Weights,
    bool Learnt);

/// <summary>A plot image next to the report: its link target (relative, URL-escaped), alternative text and a caption (Markdown).</summary>
public sealed record PlotImage(string Path, string Alt, string Caption);

/// <summary>The mean objective for each value of one swept parameter.</summary>
public sealed record ParameterEffect(string Name, IReadOnlyList<EffectValue> Values);

/// <summary>One value of a parameter: mean objective over the passed trials that used it.</summary>
public sealed record EffectValue(string Value, double? Mean, string MeanText, int Trials, bool Best);
