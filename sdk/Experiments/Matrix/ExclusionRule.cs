namespace Experiments;

/// <summary>
/// A rule as the generator compiled it: a combination is not in the matrix when parameter <see cref="First"/> has one of
/// <see cref="FirstValues"/> and parameter <see cref="Second"/> has one of <see cref="SecondValues"/> (value indices
/// into <see cref="ParameterDefinition.Values"/>). <c>[Exclude]</c> rules and metadata constraints both become these,
/// so the matrix can be counted and indexed without being enumerated.
/// </summary>
public sealed record ExclusionRule(int First, IReadOnlyList<int> FirstValues, int Second, IReadOnlyList<int> SecondValues);
