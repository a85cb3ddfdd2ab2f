using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Quarry.Server.Connectors.Sqlite;

/// <summary>
/// The functions SQLite lacks and scans need, registered on each connection Quarry opens: <c>regexp(pattern, value)</c>,
/// which SQLite calls for <c>value REGEXP pattern</c>, and <c>regexp_replace(value, pattern, replacement)</c>. They use
/// .NET's regular expressions, the dialect check properties are validated with. A null argument gives null, like SQL.
/// </summary>
internal static class SqliteFunctions
{
    /// <summary>A pattern that runs away (catastrophic backtracking) fails its statement instead of holding the scan forever.</summary>
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    public static void Register(SqliteConnection db)
    {
        // Regex's own cache keeps the compiled pattern between rows (the static methods cache the most recent ones).
        db.CreateFunction("regexp", (string? pattern, string? value) =>
            pattern is null || value is null ? (bool?)null : Regex.IsMatch(value, pattern, RegexOptions.None, MatchTimeout), isDeterministic: true);
        db.CreateFunction("regexp_replace", (string? value, string? pattern, string? replacement) =>
            value is null || pattern is null ? null : Regex.Replace(value, pattern, replacement ?? "", RegexOptions.None, MatchTimeout), isDeterministic: true);
    }
}
