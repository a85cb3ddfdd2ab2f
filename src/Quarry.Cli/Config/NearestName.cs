namespace Quarry.Cli.Config;

/// <summary>"Did you mean …?" for a misspelt key or kind: the known name fewest edits away.</summary>
public static class NearestName
{
    public static string Suggest(string key, IEnumerable<string> known)
    {
        var best = known.Select(k => (Key: k, Distance: Distance(key.ToLowerInvariant(), k))).OrderBy(k => k.Distance).First();
        return best.Distance <= Math.Max(2, key.Length / 3)
            ? $"; did you mean '{best.Key}'?"
            : $"; known keys: {string.Join(", ", known)}.";
    }

    /// <summary>Levenshtein distance: how many single-character edits turn one key into the other.</summary>
    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
