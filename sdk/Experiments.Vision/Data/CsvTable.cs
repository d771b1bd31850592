using System.Text;

namespace Experiments.Vision.Data;

/// <summary>
/// A small RFC 4180 reader for labels files: comma-separated, a header row, fields optionally in double quotes
/// (<c>""</c> for a quote inside; quoted fields may hold commas and line breaks), LF or CRLF line ends, UTF-8 with
/// or without BOM. Blank lines are skipped. Hand-written to keep the library free of a CSV dependency for a
/// two-column format; every malformed row is an error naming the file and line.
/// </summary>
internal sealed class CsvTable
{
    private CsvTable(string path, string[] header, List<(int Line, string[] Fields)> rows)
    {
        Path = path;
        Header = header;
        Rows = rows;
    }

    public string Path { get; }

    public string[] Header { get; }

    /// <summary>Data rows with the 1-based line on which each starts.</summary>
    public List<(int Line, string[] Fields)> Rows { get; }

    public static CsvTable Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(path, $"the labels file cannot be read ({ex.Message})", ex);
        }

        var records = Parse(text, path);
        if (records.Count == 0)
        {
            throw new DataFileException(path, "the labels file is empty (expected a header row, e.g. \"file,label\")");
        }
        var header = records[0].Fields;
        var rows = new List<(int, string[])>(records.Count - 1);
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Length != header.Length)
            {
                throw new DataFileException(path, $"line {line} has {fields.Length} field(s), the header has {header.Length}");
            }
            rows.Add((line, fields));
        }
        return new CsvTable(path, header, rows);
    }

    /// <summary>The index of a column given by header name (exact, then case-insensitive) or by 0-based number.</summary>
    public int Column(string nameOrIndex, string role)
    {
        int exact = Array.IndexOf(Header, nameOrIndex);
        if (exact >= 0)
        {
            return exact;
        }
        var matches = Enumerable.Range(0, Header.Length).Where(i => string.Equals(Header[i], nameOrIndex, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count == 1)
        {
            return matches[0];
        }
        if (int.TryParse(nameOrIndex, out int index) && index >= 0 && index < Header.Length)
        {
            return index;
        }
        throw new DataFileException(Path, $"no {role} column '{nameOrIndex}' (columns: {string.Join(", ", Header.Select(h => $"'{h}'"))})");
    }

    private static List<(int Line, string[] Fields)> Parse(string text, string path)
    {
        var records = new List<(int, string[])>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        bool inQuotes = false;
        bool quoted = false;     // the current field was quoted: only a separator or line end may follow
        bool any = false;        // the current record has content (blank lines are skipped)
        int i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
            quoted = false;
        }

        void EndRecord()
        {
            EndField();
            if (any)
            {
                records.Add((recordLine, fields.ToArray()));
            }
            fields.Clear();
            any = false;
        }

        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                        quoted = true;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }
                    field.Append(c);
                }
                continue;
            }

            switch (c)
            {
                case ',':
                    any = true;
                    EndField();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n' or '\r':
                    EndRecord();
                    line++;
                    recordLine = line;
                    break;
                case '"' when field.Length == 0 && !quoted:
                    inQuotes = true;
                    any = true;
                    break;
                default:
                    if (quoted)
                    {
                        throw new DataFileException(path, $"line {line}: unexpected '{c}' after a closing quote");
                    }
                    if (c == '"')
                    {
                        throw new DataFileException(path, $"line {line}: a quote inside an unquoted field (quote the whole field and double the quote)");
                    }
                    field.Append(c);
                    any = true;
                    break;
            }
        }
        if (inQuotes)
        {
            throw new DataFileException(path, $"line {recordLine}: a quoted field is not closed before the end of the file");
        }
        EndRecord();
        return records;
    }
}
