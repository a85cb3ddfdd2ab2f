using System.Text;

namespace Quarry.Server.Quality;

/// <summary>One field a computed join keeps: the side it comes from, the field there, and its name in the join.</summary>
public sealed record JoinSelected(string Side, string Field, string Name);

/// <summary>
/// A computed join's <c>select_clause</c>, as Qualytics clients write it. Every field of a side is known in the join
/// by its side's prefix, an underscore and its name (<c>left_id</c>, <c>right_total</c>); the clause lists the ones to
/// keep, separated by commas, each optionally renamed (<c>right_total AS total</c>), or <c>*</c> for all of them.
/// Names may be quoted (<c>"left_Order Items"</c>). The names are resolved to fields of the two sides here, and the
/// join's SQL names only those, through the dialect's quoting. A clause may instead list expressions, each named with
/// AS (<c>left_country AS country, count(*) AS orders</c>, as a join with a <c>group_by_clause</c> needs): those are
/// SQL for the source, read as <see cref="JoinClauses"/> says.
/// </summary>
public static class JoinSelection
{
    public const string DefaultLeftPrefix = "left";
    public const string DefaultRightPrefix = "right";
    public const int PrefixLength = 50;
    /// <summary>The <see cref="JoinSelected.Side"/> of an expression of the clause: its <see cref="JoinSelected.Field"/> is the SQL.</summary>
    public const string ExpressionSide = "expression";

    /// <summary>The fields of one side as the join reads them (null when no sync has seen the container).</summary>
    public sealed record Side(string Key, string Prefix, string ContainerName, IReadOnlyList<string>? Fields);

    /// <summary>An error for a prefix that is not a plain name (letters, digits, underscores).</summary>
    public static string? PrefixProblem(string prefix) =>
        prefix.Length == 0 || prefix.Length > PrefixLength || !prefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? $"must be 1 to {PrefixLength} letters, digits or underscores (it starts the names of that side's fields in the join: '{prefix}_id')."
            : null;

    /// <summary>Resolves <paramref name="clause"/> against the two sides, adding what is wrong to <paramref name="errors"/> under <c>select_clause</c>.</summary>
    public static List<JoinSelected> Resolve(string clause, Side left, Side right, IDictionary<string, List<string>> errors)
    {
        const string key = "select_clause";
        var selected = new List<JoinSelected>();
        List<(string Column, string? Alias)> items;
        var expressions = new HashSet<int>();
        try { items = Parse(clause); }
        catch (FormatException e)
        {
            // Not a list of names: it may list expressions, each named with AS (count(*) AS orders), SQL for the source.
            var listed = JoinClauses.Items(clause);
            if (listed is null || listed.Any(x => x.Alias is null))
            {
                CheckRules.Add(errors, key, e.Message + " An expression is accepted when it is named with AS (count(*) AS orders).");
                return selected;
            }
            items = [];
            foreach (var (text, alias) in listed)
            {
                List<(string Column, string? Alias)>? named = null;
                try { named = Parse(text); } catch (FormatException) { }
                if (named is not [(not "*", null)]) expressions.Add(items.Count);
                items.Add((named is [(not "*", null)] ? named[0].Column : text, alias));
            }
        }
        if (items.Count == 0) CheckRules.Add(errors, key, "names no field: list the joined fields to keep, e.g. 'left_id, right_total' (or '*').");
        foreach (var ((column, alias), index) in items.Select((item, index) => (item, index)))
        {
            if (expressions.Contains(index))
            {
                selected.Add(new JoinSelected(ExpressionSide, column, alias!));
                continue;
            }
            if (column == "*")
            {
                if (alias is not null) { CheckRules.Add(errors, key, "'*' cannot be renamed; list the fields to rename them."); continue; }
                foreach (var side in new[] { left, right })
                {
                    if (side.Fields is null) CheckRules.Add(errors, key, $"'*' needs the fields of container '{side.ContainerName}', which no sync has read yet; sync the datastore or list the fields.");
                    else selected.AddRange(side.Fields.Select(f => new JoinSelected(side.Key, f, side.Prefix + "_" + f)));
                }
                continue;
            }
            var matches = new[] { left, right }
                .Where(s => column.StartsWith(s.Prefix + "_", StringComparison.Ordinal))
                .Select(s => (Side: s, Field: column[(s.Prefix.Length + 1)..]))
                .Where(m => m.Field.Length > 0 && (m.Side.Fields is null || m.Side.Fields.Contains(m.Field, StringComparer.Ordinal)))
                .ToList();
            if (matches.Count == 1) selected.Add(new JoinSelected(matches[0].Side.Key, matches[0].Field, alias ?? column));
            else if (matches.Count > 1) CheckRules.Add(errors, key, $"'{column}' names a field of both sides; give the sides prefixes that do not start alike.");
            else CheckRules.Add(errors, key, $"'{column}' is not a field of the join. {Hint(column, left, right)}");
        }
        foreach (var clash in selected.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            CheckRules.Add(errors, key, $"'{clash.Key}' is selected {clash.Count()} times; a join's field names must be distinct, so rename one with AS.");
        return selected;
    }

    private static string Hint(string column, Side left, Side right)
    {
        var cased = new[] { left, right }.Where(s => s.Fields is not null)
            .SelectMany(s => s.Fields!.Select(f => s.Prefix + "_" + f))
            .FirstOrDefault(n => string.Equals(n, column, StringComparison.OrdinalIgnoreCase));
        if (cased is not null) return $"Did you mean '{cased}'? Field names are case-sensitive.";
        return $"Name a field of '{left.ContainerName}' as {left.Prefix}_<field> and one of '{right.ContainerName}' as {right.Prefix}_<field>"
            + (left.Fields is { Count: > 0 } ? $" (for example {left.Prefix}_{left.Fields[0]})" : "") + ".";
    }

    /// <summary>Splits the clause into (column, alias) items; anything but names, commas, AS and quotes is refused.</summary>
    internal static List<(string Column, string? Alias)> Parse(string clause)
    {
        var items = new List<(string, string?)>();
        if (string.IsNullOrWhiteSpace(clause)) return items;
        var tokens = new List<string>();
        var i = 0;
        void EndItem()
        {
            switch (tokens.Count)
            {
                case 1: items.Add((tokens[0], null)); break;
                case 2 when tokens[0] != "*" && tokens[1] != "\u0001AS": items.Add((tokens[0], tokens[1])); break;
                case 3 when tokens[1] == "\u0001AS" && tokens[0] != "*": items.Add((tokens[0], tokens[2])); break;
                case 0: throw new FormatException("has an empty item between commas; list field names separated by single commas.");
                default: throw new FormatException($"'{string.Join(" ", tokens.Select(t => t.TrimStart('\u0001')))}' is not a field name: write each item as <prefix>_<field>, optionally followed by AS <new name>. Expressions are not accepted.");
            }
            tokens.Clear();
        }
        while (i < clause.Length)
        {
            var c = clause[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == ',') { EndItem(); i++; continue; }
            if (c == '*') { tokens.Add("*"); i++; continue; }
            if (c is '"' or '`' or '[')
            {
                var close = c == '[' ? ']' : c;
                var name = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= clause.Length) throw new FormatException($"has a name opened with {c} that is never closed.");
                    if (clause[i] == close)
                    {
                        if (i + 1 < clause.Length && clause[i + 1] == close && close != ']') { name.Append(close); i += 2; continue; }
                        i++;
                        break;
                    }
                    name.Append(clause[i++]);
                }
                if (name.Length == 0) throw new FormatException("has an empty quoted name.");
                tokens.Add(name.ToString());
                continue;
            }
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                var start = i;
                while (i < clause.Length && (char.IsLetterOrDigit(clause[i]) || clause[i] == '_')) i++;
                var word = clause[start..i];
                tokens.Add(string.Equals(word, "as", StringComparison.OrdinalIgnoreCase) && tokens.Count == 1 ? "\u0001AS" : word);
                continue;
            }
            throw new FormatException($"has '{c}' at position {i + 1}: list the joined fields by name, separated by commas (e.g. 'left_id, right_total AS total'); expressions, functions and operators are not accepted.");
        }
        EndItem();
        return items;
    }

    public static string ToJson(IEnumerable<JoinSelected> selected) =>
        JsonSerializer.Serialize(selected.Select(s => new Dictionary<string, string> { ["side"] = s.Side, ["field"] = s.Field, ["name"] = s.Name }));

    public static List<JoinSelected> FromJson(string? json) =>
        json is null ? [] : (JsonSerializer.Deserialize<List<Dictionary<string, string>>>(json) ?? [])
            .Select(d => new JoinSelected(d["side"], d["field"], d["name"])).ToList();
}
