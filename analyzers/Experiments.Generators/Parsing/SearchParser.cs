using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Experiments.Generators.Diagnostics;
using Experiments.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Experiments.Generators.Parsing;

/// <summary>
/// Reads how an experiment searches its matrix: <c>Search</c> and <c>ReductionFactor</c> of <c>[Experiment]</c> and
/// the one <c>[Budget]</c> parameter of a successive-halving experiment, whose values it lays out as the rungs
/// (<see cref="RungLadder"/>, the same source the runner compiles). A grid gets no search model.
/// </summary>
internal static class SearchParser
{
    private const int GridValue = 0;
    private const int SuccessiveHalvingValue = 1;
    private const int DefaultReductionFactor = 3;

    /// <summary>
    /// The search model of a successive-halving experiment, else null; <paramref name="errors"/> when the search
    /// declaration has an error (the experiment then gets no code).
    /// </summary>
    public static SearchModel? Read(INamedTypeSymbol type, AttributeData attribute, ArgumentLocations locations,
        List<ParsedParameter> parameters, List<DiagnosticInfo> diagnostics, out bool errors)
    {
        errors = false;
        var kind = ExperimentParser.Named(attribute, "Search", GridValue);
        var reductionFactor = ExperimentParser.Named(attribute, "ReductionFactor", DefaultReductionFactor);
        var budgetProperties = ExperimentParser.Properties(type)
            .Where(p => p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.Budget))
            .ToList();

        if (kind != SuccessiveHalvingValue)
        {
            if (reductionFactor != DefaultReductionFactor)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReductionFactorInGrid, locations.Named("ReductionFactor"), type.Name, reductionFactor));
            }
            // A grid has no rungs: running every cell (each configuration at every budget) or only the top one would both
            // be a guess at what was meant, so it is an error that names both ways out.
            // (A [Budget] property that is invalid in itself has its own error already.)
            foreach (var declared in parameters.Where(p => p.Budget is not null))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BudgetInGrid, declared.Budget!.Attribute,
                    declared.Name, type.Name, declared.Budget.Max.ToString(CultureInfo.InvariantCulture)));
                errors = true;
            }
            return null;
        }

        if (reductionFactor < 2)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidReductionFactor, locations.Named("ReductionFactor"), type.Name, reductionFactor));
            errors = true;
        }
        if (budgetProperties.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingBudget, locations.Named("Search"), type.Name));
            errors = true;
        }
        for (var i = 1; i < budgetProperties.Count; i++)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MultipleBudgets, LocationInfo.From(budgetProperties[i].Locations.FirstOrDefault()),
                budgetProperties[i].Name, budgetProperties[0].Name));
            errors = true;
        }
        var index = parameters.FindIndex(p => p.Budget is not null);
        if (errors || index < 0)
        {
            // No budget parameter here but one declared: it is invalid, and its diagnostic is already reported.
            return null;
        }

        var parameter = parameters[index];
        var range = parameter.Budget!;
        var rungs = RungLadder.Budgets(range.Min, range.Max, reductionFactor);
        foreach (var rung in rungs)
        {
            var text = rung.ToString(CultureInfo.InvariantCulture);
            parameter.Values.Add(new ParsedValue(text, text, rung, range.Attribute));
        }
        if (!IsGeometric(rungs, range.Max, reductionFactor))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BudgetNotGeometric, range.MaxLocation, parameter.Name,
                range.Max, range.Min, reductionFactor, string.Join(", ", rungs), Suggestion(rungs, range.Min, range.Max, reductionFactor)));
        }
        return new SearchModel(index, parameter.Name, reductionFactor, rungs.ToEquatableArray(), locations.Named("Search"));
    }

    /// <summary>Every rung η times the one below: Max is Min·η^k with k ≥ 1 (one rung alone is not, since Max &gt; Min).</summary>
    private static bool IsGeometric(int[] rungs, int max, int reductionFactor)
        => rungs.Length >= 2 && (long)rungs[rungs.Length - 2] * reductionFactor == max;

    /// <summary>The Min·η^k values around the declared Max: <c>; Max = 9 or 27 would make …</c>.</summary>
    private static string Suggestion(int[] rungs, int min, int max, int reductionFactor)
    {
        var below = rungs.Length >= 2 ? (long)rungs[rungs.Length - 2] * reductionFactor : (long?)null;
        var above = (below ?? min) * reductionFactor;
        var options = new[] { below, above }.Where(v => v is <= int.MaxValue).Select(v => v!.Value.ToString(CultureInfo.InvariantCulture)).ToList();
        // One rung: Min·η is above Max, so nothing is halved.
        var single = rungs.Length == 1 ? $" (one rung: Min {min} × {reductionFactor} is above Max, so every configuration runs at {max}, as in a grid)" : "";
        return single + (options.Count == 0 ? "" : $"; Max = {string.Join(" or ", options)} would make each rung {reductionFactor} times the one below");
    }
}
