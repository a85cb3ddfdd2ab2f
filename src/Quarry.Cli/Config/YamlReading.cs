using System.Text;
using System.Text.Unicode;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Quarry.Cli.Config;

/// <summary>
/// Reads one config file into YAML nodes within limits that no real config comes near: a file of at most 1 MiB of
/// UTF-8, nested at most 64 levels, and at most 1 Mi characters of text once aliases (<c>*name</c>) are expanded.
/// Without them a deeply nested file overflowed the CLI's stack and a few thousand aliases of one large value built
/// a request of hundreds of megabytes; invalid UTF-8 was silently read as U+FFFD.
/// </summary>
internal static class YamlReading
{
    public const int MaxFileBytes = 1024 * 1024;
    public const int MaxDepth = 64;
    public const int MaxExpandedChars = 1024 * 1024;

    /// <summary>Why a file could not be read, at its line and column; the message says what to change.</summary>
    public sealed record Failure(int Line, int Column, string Message);

    public static (YamlStream? Yaml, Failure? Error) Read(string path)
    {
        var size = new FileInfo(path).Length;
        if (size > MaxFileBytes)
            return (null, new Failure(1, 1, $"the file is {Count(size)} bytes; a config file may hold at most {Count(MaxFileBytes)} (1 MiB). Split what it holds into several files."));
        if (Decode(File.ReadAllBytes(path), out var text) is { } notUtf8) return (null, notUtf8);
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new Guard(new Parser(new StringReader(text))));
            return (yaml, null);
        }
        catch (LimitException e)
        {
            return (null, new Failure((int)e.Start.Line, (int)e.Start.Column, e.Message));
        }
        catch (YamlException e)
        {
            return (null, new Failure((int)e.Start.Line, (int)e.Start.Column, $"invalid YAML: {Describe(e)}"));
        }
    }

    /// <summary>Strict UTF-8 (a byte order mark is fine; UTF-16 with one too), else where the first bad byte is.</summary>
    private static Failure? Decode(byte[] bytes, out string text)
    {
        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            using var reader = new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
            return null;
        }
        var utf8 = bytes.AsSpan(bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0);
        var chars = new char[utf8.Length];
        var status = Utf8.ToUtf16(utf8, chars, out var read, out var written, replaceInvalidSequences: false);
        text = new string(chars, 0, written);
        if (status == System.Buffers.OperationStatus.Done) return null;
        var before = text.AsSpan();
        var line = before.Count('\n') + 1;
        var column = written - (before.LastIndexOf('\n') + 1) + 1;
        text = "";
        return new Failure(line, column, $"the file is not valid UTF-8 text (byte 0x{utf8[read]:X2} here); save it as UTF-8.");
    }

    private static string Describe(YamlException e)
    {
        // YamlDotNet prefixes its message with the marks, which the file:line:column already says.
        var at = e.Message.IndexOf("): ", StringComparison.Ordinal);
        var text = at >= 0 && e.Message.StartsWith('(') ? e.Message[(at + 3)..] : e.Message;
        return text.StartsWith("Duplicate key", StringComparison.Ordinal)
            ? $"duplicate key '{text["Duplicate key".Length..].Trim()}' in the same mapping; keep one."
            : text;
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private sealed class LimitException(Mark start, Mark end, string message) : YamlException(start, end, message);

    /// <summary>Passes the parser's events through, counting nesting and the text that aliases expand to.</summary>
    private sealed class Guard(IParser inner) : IParser
    {
        private readonly Stack<(string? Anchor, long Chars)> _open = new();
        private readonly Dictionary<string, long> _anchors = new(StringComparer.Ordinal);
        private long _expanded;

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (!inner.MoveNext()) return false;
            switch (inner.Current)
            {
                case MappingStart or SequenceStart:
                    if (_open.Count >= MaxDepth)
                        throw Limit($"the values nest deeper than {MaxDepth} levels; a config file needs only a few.");
                    _open.Push((((NodeEvent)inner.Current).Anchor is { IsEmpty: false } a ? a.Value : null, 0));
                    break;
                case MappingEnd or SequenceEnd when _open.Count > 0:
                    var (anchor, chars) = _open.Pop();
                    if (anchor is not null) _anchors[anchor] = chars;
                    Add(chars, counted: true);
                    break;
                case Scalar scalar:
                    if (!scalar.Anchor.IsEmpty) _anchors[scalar.Anchor.Value] = scalar.Value.Length;
                    Add(scalar.Value.Length, counted: false);
                    break;
                case AnchorAlias alias:
                    // Every use of an alias is a full copy of its value once read: count it as one.
                    Add(Math.Max(1, _anchors.GetValueOrDefault(alias.Value.Value)), counted: false);
                    break;
            }
            return true;
        }

        /// <summary>Adds a value's characters to the open collection (and, unless already counted, to the file's total).</summary>
        private void Add(long chars, bool counted)
        {
            if (_open.Count > 0)
            {
                var (anchor, sum) = _open.Pop();
                _open.Push((anchor, sum + chars));
            }
            if (counted) return;
            _expanded += chars;
            if (_expanded > MaxExpandedChars)
                throw Limit($"with its aliases (*name) expanded, the file holds more than {Count(MaxExpandedChars)} characters of text; repeat less, or split it.");
        }

        private LimitException Limit(string message) => new(inner.Current!.Start, inner.Current.End, message);
    }
}
