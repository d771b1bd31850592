using System.Globalization;
using System.Text;
using Experiments.Vision.Data;

namespace Experiments.Vision.Inference;

/// <summary>Options of <see cref="PredictionsCsv"/>.</summary>
public sealed record PredictionsCsvOptions
{
    public static PredictionsCsvOptions Default { get; } = new();

    /// <summary>Joins several predicted (or target) class names in one field, for multi-label data (default <c>;</c>).</summary>
    public string LabelSeparator { get; init; } = ";";

    /// <summary>Add a <c>target</c> column when the predictions have targets (default true).</summary>
    public bool IncludeTargets { get; init; } = true;

    /// <summary>Header of each probability column: this prefix and the class name (default <c>prob_</c>, so no class name collides with the fixed columns).</summary>
    public string ProbabilityPrefix { get; init; } = "prob_";
}

/// <summary>
/// Writes predictions as CSV (RFC 4180): a header, then one row per item — <c>index</c> (dataset index), <c>item</c>
/// (where it comes from, e.g. the file, when the dataset is given), <c>predicted</c> (class name, or the names above the
/// threshold joined by <see cref="PredictionsCsvOptions.LabelSeparator"/> for multi-label data), <c>target</c> (when
/// known), and one probability column per class, <c>prob_{class}</c>. Fields with a comma, quote, line break or
/// leading/trailing space are quoted, quotes doubled; numbers are invariant-culture, shortest round-trip; lines end in
/// CRLF; UTF-8 without a byte-order mark.
/// </summary>
public static class PredictionsCsv
{
    /// <summary>Writes to <paramref name="path"/> (replaced atomically: a reader never sees half a file).</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="predictions">The rows.</param>
    /// <param name="dataset">The dataset the indices refer to, for the <c>item</c> column; none when null.</param>
    /// <param name="options">Separator, target column, header prefix.</param>
    public static void Write(string path, Predictions predictions, IImageDataset? dataset = null, PredictionsCsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(predictions);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.tmp-{Guid.NewGuid():N}");
        try
        {
            using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                Write(writer, predictions, dataset, options);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes to <paramref name="writer"/>.</summary>
    /// <inheritdoc cref="Write(string, Predictions, IImageDataset?, PredictionsCsvOptions?)"/>
    public static void Write(TextWriter writer, Predictions predictions, IImageDataset? dataset = null, PredictionsCsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(predictions);
        options ??= PredictionsCsvOptions.Default;
        ArgumentNullException.ThrowIfNull(options.LabelSeparator, nameof(options));
        ArgumentNullException.ThrowIfNull(options.ProbabilityPrefix, nameof(options));

        var classes = predictions.Classes;
        var predicted = predictions.PredictedLabels();
        var targets = options.IncludeTargets ? predictions.TargetLabels() : null;
        var probabilities = predictions.ToArray();

        var header = new List<string> { "index" };
        if (dataset is not null)
        {
            header.Add("item");
        }
        header.Add("predicted");
        if (targets is not null)
        {
            header.Add("target");
        }
        header.AddRange(classes.Select(c => options.ProbabilityPrefix + c));
        WriteRow(writer, header);

        var row = new List<string>(header.Count);
        for (int n = 0; n < predictions.Count; n++)
        {
            row.Clear();
            int index = predictions.Indices[n];
            row.Add(index.ToString(CultureInfo.InvariantCulture));
            if (dataset is not null)
            {
                row.Add(dataset.Describe(index));
            }
            row.Add(Names(predicted[n], classes, options.LabelSeparator));
            if (targets is not null)
            {
                row.Add(Names(targets[n], classes, options.LabelSeparator));
            }
            for (int c = 0; c < classes.Count; c++)
            {
                row.Add(probabilities[(n * classes.Count) + c].ToString("R", CultureInfo.InvariantCulture));
            }
            WriteRow(writer, row);
        }
    }

    /// <summary>One field as RFC 4180 writes it: quoted (quotes doubled) when it holds a comma, quote, CR or LF, or starts or ends with a space.</summary>
    public static string Escape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        bool quote = field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (field.Length > 0 && (field[0] == ' ' || field[^1] == ' '));
        return quote ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }

    private static string Names(int[] labels, IReadOnlyList<string> classes, string separator) => string.Join(separator, labels.Select(l => classes[l]));

    private static void WriteRow(TextWriter writer, IReadOnlyList<string> fields)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }
            writer.Write(Escape(fields[i]));
        }
        writer.Write("\r\n");
    }
}
