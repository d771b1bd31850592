using System.Text;

namespace Experiments.Benchmarks.Reporting;

/// <summary>
/// Everything one run measured: printed as each table is done and written to <c>results.md</c> (all tables) and
/// <c>&lt;table&gt;.csv</c> (one per table) in the run's folder. Files are rewritten after every table, so an interrupted
/// run keeps what it measured.
/// </summary>
public sealed class RunReport
{
    private readonly List<ResultTable> _tables = [];
    private readonly List<string> _header = [];

    public RunReport(string directory)
    {
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string MarkdownPath => Path.Combine(Directory, "results.md");

    public IReadOnlyList<ResultTable> Tables => _tables;

    /// <summary>A line of the header (machine, settings) printed before the tables.</summary>
    public void Header(string line)
    {
        _header.Add(line);
        Console.WriteLine(line);
        Write();
    }

    public void Add(ResultTable table)
    {
        _tables.Add(table);
        Console.WriteLine();
        Console.WriteLine(table.ToMarkdown());
        Write();
    }

    /// <summary>Writes the files with <paramref name="inProgress"/> (a table not yet added) as it is now, so that an interrupted section keeps its finished rows.</summary>
    public void Checkpoint(ResultTable inProgress) => Write(inProgress);

    /// <summary>A progress line on the console only (stderr, so that stdout is the report).</summary>
    public static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

    private void Write(ResultTable? inProgress = null)
    {
        var text = new StringBuilder();
        text.Append("# Benchmarks\n\n");
        foreach (var line in _header)
        {
            text.Append(line).Append('\n');
        }
        var tables = inProgress is null ? _tables : [.. _tables, inProgress];
        foreach (var table in tables)
        {
            text.Append('\n').Append(table.ToMarkdown());
        }
        File.WriteAllText(MarkdownPath, text.ToString());
        foreach (var table in tables)
        {
            File.WriteAllText(Path.Combine(Directory, table.Id + ".csv"), table.ToCsv());
        }
    }
}
