namespace Experiments.Generators.Parsing;

/// <summary>Metadata names of the runtime's declaration attributes.</summary>
internal static class KnownNames
{
    public const string Experiment = "Experiments.ExperimentAttribute";
    public const string Values = "Experiments.ValuesAttribute";
    public const string Uniform = "Experiments.UniformAttribute";
    public const string LogUniform = "Experiments.LogUniformAttribute";
    public const string Budget = "Experiments.BudgetAttribute";
    public const string Exclude = "Experiments.ExcludeAttribute";
    public const string KnownValues = "Experiments.KnownValuesAttribute";
    public const string KnownValue = "Experiments.KnownValueAttribute";
    public const string KnownIn = "Experiments.KnownInAttribute";
    public const string ConstrainedBy = "Experiments.ConstrainedByAttribute";
    public const string MetricName = "Experiments.MetricNameAttribute";
    public const string TrialContext = "Experiments.TrialContext";
    public const string TrialResult = "Experiments.TrialResult";
}
