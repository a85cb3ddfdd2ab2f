using System.Text;
using System.Text.RegularExpressions;

namespace Quarry.Cli.Config.Export;

/// <summary>
/// A YAML mapping whose keys keep the order they were added in, so an export writes the same bytes for the
/// same state. Null values are left out: config files only state what they manage.
/// </summary>
public sealed class YamlMap
{
    private readonly List<(string Key, object Value)> _entries = [];

    public IReadOnlyList<(string Key, object Value)> Entries => _entries;

    public YamlMap Add(string key, object? value)
    {
        if (value is null) return this;
        if (value is System.Collections.ICollection { Count: 0 }) return this;
        if (value is JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }) return this;
        if (value is JsonElement { ValueKind: JsonValueKind.Object } o && !o.EnumerateObject().Any()) return this;
        _entries.Add((key, value));
        return this;
    }
}

/// <summary>
/// Writes YAML deterministically: plain scalars where YAML reads them back as the same string, double quotes
/// otherwise, literal blocks for multi-line text. A literal <c>${</c> is written <c>$${</c> because import
/// resolves <c>${VAR}</c> in every string; <see cref="Placeholder"/> values are the one exception.
/// </summary>
public static partial class YamlText
{
    /// <summary>A <c>${NAME}</c> reference that import must resolve, written as is.</summary>
    public sealed record Placeholder(string Variable)
    {
        public override string ToString() => "${" + Variable + "}";
    }

    public static string Write(YamlMap map)
    {
        var text = new StringBuilder();
        WriteMap(text, map, 0);
        return text.ToString();
    }

    private static void WriteMap(StringBuilder text, YamlMap map, int indent)
    {
        foreach (var (key, value) in map.Entries)
        {
            text.Append(' ', indent).Append(Scalar(key)).Append(':');
            WriteValue(text, value, indent);
        }
    }

    private static void WriteValue(StringBuilder text, object value, int indent)
    {
        switch (value)
        {
            case YamlMap nested:
                text.Append('\n');
                WriteMap(text, nested, indent + 2);
                break;
            case JsonElement { ValueKind: JsonValueKind.Object } json:
                var map = new YamlMap();
                foreach (var property in json.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal)) map.Add(property.Name, property.Value);
                WriteValue(text, map, indent);
                break;
            case JsonElement { ValueKind: JsonValueKind.Array } json:
                WriteList(text, json.EnumerateArray().Cast<object>().ToList(), indent);
                break;
            case System.Collections.IEnumerable list and not string:
                WriteList(text, list.Cast<object>().ToList(), indent);
                break;
            case string s when Block(s) is { } block:
                text.Append(' ').Append(block.Header).Append('\n');
                foreach (var line in block.Lines) text.Append(' ', line.Length == 0 ? 0 : indent + 2).Append(line).Append('\n');
                break;
            default:
                text.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static void WriteList(StringBuilder text, List<object> items, int indent)
    {
        text.Append('\n');
        foreach (var item in items)
        {
            if (item is YamlMap or JsonElement { ValueKind: JsonValueKind.Object or JsonValueKind.Array })
                throw new NotSupportedException("Config files hold lists of scalars only.");
            text.Append(' ', indent + 2).Append("- ").Append(Scalar(item)).Append('\n');
        }
    }

    private static string Scalar(object value) => value switch
    {
        Placeholder p => p.ToString(),
        bool b => b ? "true" : "false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        JsonElement { ValueKind: JsonValueKind.String } s => Text(s.GetString()!),
        JsonElement { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        JsonElement { ValueKind: JsonValueKind.True } => "true",
        JsonElement { ValueKind: JsonValueKind.False } => "false",
        string s => Text(s),
        _ => throw new NotSupportedException($"Cannot write {value.GetType().Name} as a YAML scalar."),
    };

    private static string Text(string value)
    {
        value = value.Replace("${", "$${", StringComparison.Ordinal);
        return IsPlainSafe(value) ? value : Quote(value);
    }

    private static bool IsPlainSafe(string value) =>
        value.Length > 0 && PlainSafe().IsMatch(value) && !value.EndsWith(' ') && !value.Contains(": ", StringComparison.Ordinal)
        && !value.Contains(" #", StringComparison.Ordinal) && !Reserved().IsMatch(value) && !LooksNumeric().IsMatch(value);

    private static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return text.Append('"').ToString();
    }

    /// <summary>Multi-line text as a literal block, when YAML would read the block back unchanged.</summary>
    private static (string Header, string[] Lines)? Block(string value)
    {
        if (!value.Contains('\n') || value.Contains('\r') || value.Contains('\t') || value.StartsWith(' ') || value.StartsWith('\n')) return null;
        var body = value.EndsWith('\n') ? value[..^1] : value;
        if (body.EndsWith('\n')) return null;
        var lines = body.Replace("${", "$${", StringComparison.Ordinal).Split('\n');
        if (lines.Any(l => l.EndsWith(' '))) return null;
        return (value.EndsWith('\n') ? "|" : "|-", lines);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_/(][A-Za-z0-9_ ./@:+()<>=!,*'$-]*$")]
    private static partial Regex PlainSafe();

    [GeneratedRegex("^(?i:true|false|yes|no|on|off|y|n|null|~)$")]
    private static partial Regex Reserved();

    [GeneratedRegex(@"^[-+]?(\.?[0-9]|0x|0o|\.inf|\.nan)", RegexOptions.IgnoreCase)]
    private static partial Regex LooksNumeric();
}
