namespace Experiments.Generators.Diagnostics;

/// <summary>
/// Keys of the <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that the generator attaches for the code
/// fixes (analyzers/Experiments.CodeFixes compiles this file too), so a fix applies what the generator computed
/// instead of computing it again.
/// </summary>
internal static class DiagnosticProperties
{
    /// <summary>EXP006: prefix of the close known values, closest first: <c>Candidate0</c>, <c>Candidate1</c>, …</summary>
    public const string CandidatePrefix = "Candidate";

    /// <summary>EXP006: how many close known values are attached at most.</summary>
    public const int MaxCandidates = 5;

    /// <summary>EXP009: the number of trials the matrix expands to (what <c>MaxTrials</c> must allow).</summary>
    public const string MatrixSize = "MatrixSize";

    public static string Candidate(int index) => CandidatePrefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
