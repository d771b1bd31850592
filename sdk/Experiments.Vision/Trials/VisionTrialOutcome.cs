using System.Globalization;
using Experiments.Vision.Data;
using Experiments.Vision.Inference;
using Experiments.Vision.Training;
using Experiments.Vision.Transforms;

namespace Experiments.Vision.Trials;

/// <summary>What <see cref="VisionTrial.Run"/> did: the fit, the TTA error rate, the export, and the final metrics.</summary>
public sealed class VisionTrialOutcome
{
    internal VisionTrialOutcome(
        VisionTrialSettings settings,
        DatasetSplit split,
        Resize resize,
        Normalization? normalization,
        FitResult fit,
        double? ttaErrorRate,
        ExportedFiles? export,
        IReadOnlyList<(string Name, double Value)> metrics,
        string? continuedFrom = null)
    {
        ContinuedFrom = continuedFrom;
        Settings = settings;
        Split = split;
        Resize = resize;
        Normalization = normalization;
        Fit = fit;
        TtaErrorRate = ttaErrorRate;
        Export = export;
        Metrics = metrics;
    }

    public VisionTrialSettings Settings { get; }

    /// <summary>The training and validation items (the same validation items for every trial with a fixed <see cref="VisionTrialSettings.SplitSeed"/>).</summary>
    public DatasetSplit Split { get; }

    /// <summary>The item transform of both loaders (and of the export): input height × width, method, pad mode.</summary>
    public Resize Resize { get; }

    /// <summary>The normalisation applied to every batch (null when trained from scratch).</summary>
    public Normalization? Normalization { get; }

    /// <summary>What the learner did: schedule (<see cref="TrainingSchedules"/>), epochs, fit time, peak memory, throughput.</summary>
    public FitResult Fit { get; }

    /// <summary>The validation error rate with test-time augmentation; null without <see cref="VisionTrialSettings.Tta"/>.</summary>
    public double? TtaErrorRate { get; }

    /// <summary>The export's files and metadata (<see cref="ExportedFiles.MetadataPath"/> for <see cref="ModelExport.Load"/>); null without <see cref="VisionTrialSettings.Export"/>.</summary>
    public ExportedFiles? Export { get; }

    /// <summary>The continuation checkpoint the trial started from (the rung below's), or null when it started over.</summary>
    public string? ContinuedFrom { get; }

    /// <summary>The export's metadata file, or null.</summary>
    public string? ExportPath => Export?.MetadataPath;

    /// <summary>The final metrics, in report order.</summary>
    public IReadOnlyList<(string Name, double Value)> Metrics { get; }

    /// <summary>A passed <see cref="TrialResult"/> with <see cref="Metrics"/>.</summary>
    public TrialResult ToTrialResult() => TrialResult.Success([.. Metrics]);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Fit}{(TtaErrorRate is { } tta ? $", tta_error_rate {tta:0.####}" : "")}{(Export is { } export ? $", exported {export.MetadataPath}" : "")}");
}
