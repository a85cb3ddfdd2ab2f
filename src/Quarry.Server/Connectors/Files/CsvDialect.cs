using System.Text;

namespace Quarry.Server.Connectors.Files;

/// <summary>
/// The delimiter of a plain CSV file, found from its first lines, so DuckDB need not try every delimiter, quote and
/// escape for each file: that search costs tens of milliseconds a file, minutes for a folder of thousands. Only the
/// dialect is given; DuckDB still finds the header and every column's type. A file this cannot read for sure
/// (compressed, commented, backslash escapes, no delimiter seen on every line alike) gets DuckDB's full search.
/// </summary>
internal static class CsvDialect
{
    private const int SampleBytes = 64 * 1024;
    private const int SampleLines = 50;
    private static readonly char[] Delimiters = [',', '\t', ';', '|'];

    /// <summary>The read_csv options naming the files' dialect, or "" when DuckDB should search for it.</summary>
    public static string OptionsFor(IReadOnlyList<string> files)
    {
        char? shared = null;
        foreach (var file in files)
        {
            if (DelimiterOf(file) is not { } delimiter || (shared is { } s && s != delimiter)) return "";
            shared = delimiter;
        }
        // Only one of four fixed characters ever reaches the statement.
        return shared switch
        {
            '\t' => ", delim = '\\t', quote = '\"', escape = '\"'",
            { } d => $", delim = '{d}', quote = '\"', escape = '\"'",
            null => "",
        };
    }

    /// <summary>The one delimiter every sampled line holds equally often (outside double quotes), or null.</summary>
    internal static char? DelimiterOf(string file)
    {
        if (FileContainers.FormatOf(Path.GetFileName(file)) != FileFormat.Csv || file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            || file.EndsWith(".zst", StringComparison.OrdinalIgnoreCase))
            return null;
        var lines = SampleOf(file);
        if (lines.Count == 0 || lines.Any(l => l.StartsWith('#') || l.Contains("\\\"", StringComparison.Ordinal))) return null;
        char? found = null;
        foreach (var delimiter in Delimiters)
        {
            var first = Count(lines[0], delimiter);
            if (first == 0 || lines.Any(l => Count(l, delimiter) != first)) continue;
            if (found is not null) return null; // two delimiters fit: let DuckDB weigh them
            found = delimiter;
        }
        return found;
    }

    /// <summary>The file's first complete lines (a newline inside double quotes does not end one), read without changing the file.</summary>
    private static List<string> SampleOf(string file)
    {
        var buffer = new byte[SampleBytes];
        int read;
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var text = Encoding.UTF8.GetString(buffer, 0, read);
        var whole = read < buffer.Length;
        var lines = new List<string>();
        var (start, quoted) = (0, false);
        for (var i = 0; i < text.Length && lines.Count < SampleLines; i++)
        {
            if (text[i] == '"') quoted = !quoted;
            else if (text[i] == '\n' && !quoted)
            {
                var line = text[start..i].TrimEnd('\r');
                if (line.Length > 0) lines.Add(line);
                start = i + 1;
            }
        }
        // The last line counts only when the file ended in the sample: otherwise it may be cut short.
        if (whole && lines.Count < SampleLines && start < text.Length && !quoted) lines.Add(text[start..].TrimEnd('\r'));
        return lines;
    }

    private static int Count(string line, char delimiter)
    {
        var (count, quoted) = (0, false);
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (c == delimiter && !quoted) count++;
        }
        return count;
    }
}
