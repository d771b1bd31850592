namespace Experiments.Generators.Diagnostics;

/// <summary>Stable diagnostic ids. Never renumber: users suppress and search by them.</summary>
internal static class DiagnosticIds
{
    // Declaration shape
    public const string TypeNotPartial = "EXP001";
    public const string NoParameters = "EXP002";
    public const string UnsupportedType = "EXP017";
    public const string InvalidParameterProperty = "EXP012";
    public const string MissingRunMethod = "EXP013";
    public const string NoParameterlessConstructor = "EXP019";
    public const string MultipleValueSources = "EXP018";
    public const string ReservedMemberName = "EXP022";
    public const string DuplicateParameterKey = "EXP024";
    public const string InvalidExperimentName = "EXP027";

    // Values
    public const string EmptyValues = "EXP003";
    public const string DuplicateValue = "EXP004";
    public const string ValueNotConvertible = "EXP005";
    public const string UnknownValue = "EXP006";
    public const string InvalidDistribution = "EXP016";
    public const string NotAKnownSet = "EXP020";
    public const string UndefinedEnumValue = "EXP023";
    public const string NotUsableInId = "EXP025";
    public const string UnsupportedParameterType = "EXP026";

    // Matrix
    public const string NoTrialsLeft = "EXP007";
    public const string InputSizeConstraint = "EXP008";
    public const string OverBudget = "EXP009";
    public const string InvalidRepeats = "EXP010";
    public const string ObjectiveNotReported = "EXP011";
    public const string UnknownRuleParameter = "EXP014";
    public const string RuleNeverApplies = "EXP015";
    public const string DuplicateExperimentName = "EXP021";

    // Adaptive search (successive halving)
    public const string MissingBudget = "EXP028";
    public const string MultipleBudgets = "EXP029";
    public const string BudgetNotInt = "EXP030";
    public const string BudgetWithValues = "EXP031";
    public const string InvalidBudgetRange = "EXP032";
    public const string InvalidReductionFactor = "EXP033";
    public const string BudgetInGrid = "EXP034";
    public const string ReductionFactorInGrid = "EXP035";
    public const string BudgetNotGeometric = "EXP036";
    public const string TooFewConfigurations = "EXP037";
}
