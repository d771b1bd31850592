using System.Globalization;
using System.Text;

namespace Experiments.Benchmarks.Reporting;

/// <summary>One table of results: printed as Markdown, written into the run's Markdown file and as its own CSV file.</summary>
public sealed class ResultTable(string id, string title, params string[] columns)
{
    private readonly List<string[]> _rows = [];
    private readonly List<string> _notes = [];

    /// <summary>File name (without extension) of the CSV, e.g. <c>training</c>.</summary>
    public string Id { get; } = id;

    public string Title { get; } = title;

    public IReadOnlyList<string> Columns { get; } = columns;

    public IReadOnlyList<string[]> Rows => _rows;

    /// <summary>Lines printed under the table (what the numbers mean, what was skipped and why).</summary>
    public IReadOnlyList<string> Notes => _notes;

    public void Add(params object?[] cells)
    {
        if (cells.Length != Columns.Count)
        {
            throw new ArgumentException($"Table '{Id}' has {Columns.Count} columns; got {cells.Length} cells.", nameof(cells));
        }
        _rows.Add([.. cells.Select(Format)]);
    }

    public void Note(string line) => _notes.Add(line);

    public string ToMarkdown()
    {
        var widths = Columns.Select((c, i) => Math.Max(c.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        text.Append("### ").Append(Title).Append('\n').Append('\n');
        string Line(IReadOnlyList<string> cells) =>
            "| " + string.Join(" | ", cells.Select((c, i) => IsNumeric(c) ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))) + " |";
        text.Append(Line(Columns)).Append('\n');
        text.Append("| ").Append(string.Join(" | ", widths.Select(w => new string('-', Math.Max(3, w))))).Append(" |\n");
        foreach (var row in _rows)
        {
            text.Append(Line(row)).Append('\n');
        }
        if (_notes.Count > 0)
        {
            text.Append('\n');
            foreach (var note in _notes)
            {
                text.Append("- ").Append(note).Append('\n');
            }
        }
        return text.ToString();
    }

    public string ToCsv()
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', Columns.Select(Quote))).Append('\n');
        foreach (var row in _rows)
        {
            text.Append(string.Join(',', row.Select(Quote))).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Numbers in the invariant culture: integers as they are, others with 3 significant digits (at least 0 decimals).</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        int or long => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        double d => FormatDouble(d),
        float f => FormatDouble(f),
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static string FormatDouble(double value)
    {
        if (double.IsNaN(value))
        {
            return "n/a";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }
        double magnitude = Math.Abs(value);
        string format = magnitude >= 100 ? "0" : magnitude >= 10 ? "0.0" : magnitude >= 1 ? "0.00" : magnitude >= 0.01 ? "0.000" : "0.####E+0";
        return value == 0 ? "0" : value.ToString(format, CultureInfo.InvariantCulture);
    }

    private static bool IsNumeric(string cell) =>
        cell.Length > 0 && double.TryParse(cell.TrimEnd('%', '×'), NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
