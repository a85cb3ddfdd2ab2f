namespace Quarry.Server.Connectors.Files;

/// <summary>DuckDB's SQL: identifiers in double quotes, a quote inside one doubled.</summary>
public sealed class FilesDialect : ISqlDialect
{
    public string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
