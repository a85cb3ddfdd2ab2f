namespace Quarry.Server.Connectors.PostgreSql;

/// <summary>PostgreSQL's SQL: identifiers in double quotes, a quote inside one doubled.</summary>
public sealed class PostgreSqlDialect : ISqlDialect
{
    public string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
