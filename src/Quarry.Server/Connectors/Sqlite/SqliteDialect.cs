namespace Quarry.Server.Connectors.Sqlite;

/// <summary>SQLite's SQL: identifiers in double quotes (its standard form; it also reads [..] and `..`), a quote inside one doubled.</summary>
public sealed class SqliteDialect : ISqlDialect
{
    public string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
