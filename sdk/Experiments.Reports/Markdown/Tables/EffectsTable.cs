using Experiments.Reports.Analysis;
using Experiments.Reports.Formatting;

namespace Experiments.Reports.Markdown.Tables;

/// <summary>The mean objective per value of each swept parameter, the best value marked.</summary>
internal static class EffectsTable
{
    public static ParameterEffect[] Rows(SectionAnalysis section)
        => section.Effects
            .Select(effect => new ParameterEffect(
                MarkdownText.Escape(effect.Name),
                effect.Values
                    .Select(v => new EffectValue(
                        MarkdownText.Escape(v.Value),
                        v.Mean,
                        ReadableFormat.Number(v.Mean),
                        v.Trials,
                        effect.Best is not null && string.Equals(v.Value, effect.Best, StringComparison.Ordinal)))
                    .ToArray()))
            .ToArray();
}
