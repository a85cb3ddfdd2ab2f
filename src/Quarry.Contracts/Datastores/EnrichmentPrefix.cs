using System.Text;

namespace Quarry.Contracts.Datastores;

/// <summary>
/// Derives the table prefix a source datastore writes under in its enrichment datastore:
/// snake case, a leading underscore, at most 60 characters, e.g. "Prod Sales" → "_prod_sales".
/// </summary>
public static class EnrichmentPrefix
{
    public const int MaxLength = 60;

    public static string From(string datastoreName)
    {
        var builder = new StringBuilder("_");
        var previousUnderscore = true;
        for (var i = 0; i < datastoreName.Length; i++)
        {
            var c = datastoreName[i];
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (char.IsUpper(c) && i > 0 && char.IsLower(datastoreName[i - 1]) && !previousUnderscore) builder.Append('_');
                builder.Append(char.ToLowerInvariant(c));
                previousUnderscore = false;
            }
            else if (!previousUnderscore)
            {
                builder.Append('_');
                previousUnderscore = true;
            }
        }
        var prefix = builder.ToString().TrimEnd('_');
        if (prefix.Length == 0) prefix = "_ds";
        return prefix.Length > MaxLength ? prefix[..MaxLength].TrimEnd('_') : prefix;
    }

    /// <summary>Why <paramref name="prefix"/> can't prefix table names, or null when it can: it names tables Quarry writes.</summary>
    public static string? Problem(string prefix) =>
        prefix.Length > MaxLength ? $"must be at most {MaxLength} characters."
        : (char.IsAsciiLetter(prefix[0]) || prefix[0] == '_') && prefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? null
        : $"'{prefix}' is not a table name prefix: use letters, digits and _, starting with a letter or _ (e.g. {From(prefix)}).";

    /// <summary>Makes <paramref name="prefix"/> unique among <paramref name="taken"/> with a numeric suffix, keeping the length limit.</summary>
    public static string Unique(string prefix, ISet<string> taken)
    {
        if (taken.Add(prefix)) return prefix;
        for (var n = 2; ; n++)
        {
            var suffix = "_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var candidate = (prefix.Length + suffix.Length > MaxLength ? prefix[..(MaxLength - suffix.Length)] : prefix) + suffix;
            if (taken.Add(candidate)) return candidate;
        }
    }
}
