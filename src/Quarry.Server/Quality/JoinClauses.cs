using System.Text;
using System.Text.RegularExpressions;

namespace Quarry.Server.Quality;

/// <summary>
/// SQL a computed join takes from its author, as Qualytics clients write it: its <c>where_clause</c>, its
/// <c>group_by_clause</c> and the expressions of its <c>select_clause</c>. They are SQL for the source, trusted as a
/// computed table's query is; they may name the join's fields by prefix (<c>left_status</c>), which reach the source as
/// the side's field (<c>l."status"</c>), or a side's fields as the source knows them (<c>l.status</c>, <c>status</c>).
/// </summary>
public static class JoinClauses
{
    /// <summary>Why <paramref name="clause"/> cannot sit inside the join's statement, or null.</summary>
    public static string? Problem(string clause)
    {
        var depth = 0;
        for (var i = 0; i < clause.Length; i++)
        {
            var c = clause[i];
            if (c is '\'' or '"' or '`')
            {
                var close = Closing(clause, i);
                if (close < 0) return $"has a {c} at position {i + 1} that is never closed.";
                i = close;
            }
            else if (c == ';') return "must be a single expression; remove the ';'.";
            else if (c == '-' && At(clause, i + 1, '-') || c == '/' && At(clause, i + 1, '*'))
                return $"has a comment ('{c}{clause[i + 1]}' at position {i + 1}); remove it: it would hide the SQL that follows the clause.";
            else if (c == '(') depth++;
            else if (c == ')' && --depth < 0) return $"has a ')' at position {i + 1} that closes nothing.";
        }
        return depth > 0 ? "has a '(' that is never closed." : null;
    }

    /// <summary>
    /// <paramref name="clause"/> as the join's statement reads it: each name that starts with a side's prefix and an
    /// underscore becomes that side's field, quoted (<c>left_status</c> is <c>l."status"</c>); the rest is unchanged.
    /// Names after a dot, names of functions and text in quotes are left as written.
    /// </summary>
    public static string ToSql(string clause, string? leftPrefix, string? rightPrefix, Func<string, string> quote)
    {
        var sql = new StringBuilder();
        for (var i = 0; i < clause.Length;)
        {
            var c = clause[i];
            if (c == '\'')
            {
                var end = Closing(clause, i) is var close and >= 0 ? close + 1 : clause.Length;
                sql.Append(clause, i, end - i);
                i = end;
            }
            else if (c is '"' or '`' || char.IsLetter(c) || c == '_')
            {
                var start = i;
                string name;
                if (c is '"' or '`')
                {
                    i = Closing(clause, i) is var close and >= 0 ? close + 1 : clause.Length;
                    name = clause[(start + 1)..Math.Max(start + 1, i - 1)].Replace($"{c}{c}", $"{c}");
                }
                else
                {
                    while (i < clause.Length && (char.IsLetterOrDigit(clause[i]) || clause[i] is '_' or '$')) i++;
                    name = clause[start..i];
                }
                var afterDot = clause[..start].TrimEnd().EndsWith('.');
                var function = clause[i..].TrimStart().StartsWith('(');
                sql.Append(afterDot || function ? clause[start..i] : Field(name, leftPrefix, rightPrefix, quote) ?? clause[start..i]);
            }
            else
            {
                sql.Append(c);
                i++;
            }
        }
        return sql.ToString();
    }

    /// <summary>
    /// Splits a select clause at its top-level commas (not those inside parentheses or quotes) into items, each a
    /// (expression, alias) pair when it ends in <c>AS name</c>; null when the clause has something <see cref="Problem"/> refuses.
    /// </summary>
    public static List<(string Text, string? Alias)>? Items(string clause)
    {
        if (Problem(clause) is not null) return null;
        var items = new List<(string, string?)>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= clause.Length; i++)
        {
            if (i < clause.Length && clause[i] is '\'' or '"' or '`') { i = Closing(clause, i); continue; }
            if (i < clause.Length && clause[i] == '(') depth++;
            else if (i < clause.Length && clause[i] == ')') depth--;
            else if (i == clause.Length || clause[i] == ',' && depth == 0)
            {
                items.Add(Aliased(clause[start..i].Trim()));
                start = i + 1;
            }
        }
        return items;
    }

    private static (string Text, string? Alias) Aliased(string item)
    {
        var match = Regex.Match(item, @"^(?<text>.+?)\s+AS\s+(?:""(?<alias>(?:[^""]|"""")+)""|(?<alias>[\p{L}_][\p{L}\p{N}_]*))$",
            RegexOptions.IgnoreCase | RegexOptions.Singleline);
        return match.Success ? (match.Groups["text"].Value.Trim(), match.Groups["alias"].Value.Replace("\"\"", "\"")) : (item, null);
    }

    private static string? Field(string name, string? leftPrefix, string? rightPrefix, Func<string, string> quote)
    {
        foreach (var (prefix, alias) in new[] { (leftPrefix, "l"), (rightPrefix, "r") })
            if (prefix is not null && name.Length > prefix.Length + 1 && name.StartsWith(prefix + "_", StringComparison.Ordinal))
                return $"{alias}.{quote(name[(prefix.Length + 1)..])}";
        return null;
    }

    /// <summary>The position of the quote closing the one at <paramref name="open"/> (a doubled quote is part of the text), or -1.</summary>
    private static int Closing(string text, int open)
    {
        var quote = text[open];
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] != quote) continue;
            if (At(text, i + 1, quote)) { i++; continue; }
            return i;
        }
        return -1;
    }

    private static bool At(string text, int i, char c) => i < text.Length && text[i] == c;
}
