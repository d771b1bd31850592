namespace Experiments.Reports;

/// <summary>A plot image that accompanies a report.</summary>
/// <param name="Dataset">The dataset section it belongs to; null for the section of an experiment without a dataset parameter.</param>
/// <param name="FileName">Its file name, relative to the Markdown file (the report links it as is).</param>
/// <param name="Title">What it shows, in plain text (the image's alternative text).</param>
public sealed record ReportPlot(string? Dataset, string FileName, string Title);
