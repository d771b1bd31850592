using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Experiments.Generators.Diagnostics;
using Experiments.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Experiments.Generators.Parsing;

/// <summary>
/// Turns [Exclude] rules and [ConstrainedBy] metadata constraints into <see cref="PairRule"/>s over value indices,
/// which the emitter writes as a check and the expander counts.
/// </summary>
internal static class RuleParser
{
    /// <summary>False when an [Exclude] is broken (the compiler reports it): the experiment then gets no code.</summary>
    public static bool ReadExclusions(INamedTypeSymbol type, IReadOnlyList<ParsedParameter> parameters, List<PairRule> rules, List<string> texts, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var intact = true;
        foreach (var attribute in type.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == KnownNames.Exclude))
        {
            var arguments = attribute.ConstructorArguments;
            if (ParameterParser.IsBroken(attribute) || arguments.Length != 4)
            {
                intact = false;
                continue;
            }
            var locations = new ArgumentLocations(attribute, cancellationToken);
            var first = Side(arguments[0], arguments[1], 0, parameters, type, locations, diagnostics);
            var second = Side(arguments[2], arguments[3], 2, parameters, type, locations, diagnostics);
            if (first is null || second is null)
            {
                continue;
            }
            rules.Add(new PairRule(first.Value.Parameter, first.Value.Matches.ToEquatableArray(), second.Value.Parameter, second.Value.Matches.ToEquatableArray()));
            var reason = ConstantConverter.ValueOf(attribute.NamedArguments.FirstOrDefault(a => a.Key == "Reason").Value) as string;
            texts.Add($"exclude {parameters[first.Value.Parameter].Name}={Describe(arguments[1])} with {parameters[second.Value.Parameter].Name}={Describe(arguments[3])}"
                + (reason is null ? "" : $" ({reason})"));
        }
        return intact;
    }

    /// <summary>
    /// For every parameter constrained by a metadata key, removes the combinations whose other values declare a
    /// different value for that key; a value whose requirement no declared value meets is EXP008.
    /// </summary>
    public static void ReadConstraints(IReadOnlyList<ParsedParameter> parameters, List<PairRule> rules, List<string> texts, List<DiagnosticInfo> diagnostics)
    {
        for (var c = 0; c < parameters.Count; c++)
        {
            var key = parameters[c].ConstrainedBy;
            if (key is null)
            {
                continue;
            }
            var constrained = parameters[c];
            for (var p = 0; p < parameters.Count; p++)
            {
                if (p == c)
                {
                    continue;
                }
                for (var v = 0; v < parameters[p].Values.Count; v++)
                {
                    var value = parameters[p].Values[v];
                    var required = KnownSetReader.Lookup(value.Metadata, key);
                    if (required is null)
                    {
                        continue;
                    }
                    var mismatched = Enumerable.Range(0, constrained.Values.Count).Where(i => constrained.Values[i].Display != required).ToList();
                    if (mismatched.Count == constrained.Values.Count)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputSizeConstraint, value.Location,
                            value.Display, key, required, constrained.Name, string.Join(", ", constrained.Values.Select(x => x.Display))));
                    }
                    else if (mismatched.Count > 0)
                    {
                        rules.Add(new PairRule(p, new[] { v }.ToEquatableArray(), c, mismatched.ToEquatableArray()));
                        texts.Add($"{value.Display} runs only with {constrained.Name}={required} ({key})");
                    }
                }
            }
        }
    }

    private static (int Parameter, List<int> Matches)? Side(TypedConstant name, TypedConstant value, int position, IReadOnlyList<ParsedParameter> parameters, INamedTypeSymbol type, ArgumentLocations locations, List<DiagnosticInfo> diagnostics)
    {
        var index = -1;
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Name == ConstantConverter.ValueOf(name) as string)
            {
                index = i;
            }
        }
        if (index < 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownRuleParameter, locations.Positional(position),
                ConstantConverter.ValueOf(name) as string ?? "null", type.Name, string.Join(", ", parameters.Select(p => p.Name))));
            return null;
        }
        var parameter = parameters[index];
        var matches = new List<int>();
        if (ConstantConverter.ValueOf(value) is string pattern && parameter.Property.Type.SpecialType == SpecialType.System_String)
        {
            // The one wildcard rule, shared with run --filter: '*' matches any run of characters, case-insensitively.
            matches.AddRange(Enumerable.Range(0, parameter.Values.Count).Where(i => parameter.Values[i].Raw is string s && Wildcard.IsMatch(pattern, s)));
        }
        else if (ConstantConverter.TryConvert(value, parameter.Property.Type, out _, out var display))
        {
            matches.AddRange(Enumerable.Range(0, parameter.Values.Count).Where(i => parameter.Values[i].Display == display));
        }
        if (matches.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RuleNeverApplies, locations.Positional(position + 1), parameter.Name, Describe(value)));
            return null;
        }
        return (index, matches);
    }

    private static string Describe(TypedConstant constant)
        => ConstantConverter.ValueOf(constant) is string text ? text : ConstantConverter.Describe(constant);
}
