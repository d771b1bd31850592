namespace Experiments;

/// <summary>
/// Where a trial of a <see cref="Search.SuccessiveHalving"/> experiment stands: its rung (from 0), its budget, and — above
/// the first rung — the same configuration and repeat one rung below, which passed (it is why this trial runs): its
/// budget and its artifacts folder, so a trial that can continue from there (a checkpoint) need not start over.
/// </summary>
public sealed record SearchRung(int Index, int Budget, int? PreviousBudget, string? PreviousTrialId, string? PreviousOutputDirectory)
{
    /// <summary>The top rung: nothing is promoted from it, so a trial there need not keep anything to continue from.</summary>
    public bool IsTop { get; init; }
}
