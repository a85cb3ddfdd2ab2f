namespace Quarry.Server.Connectors.MySql;

/// <summary>MySQL's SQL: identifiers in backticks, a backtick inside one doubled (works whatever the server's sql_mode).</summary>
public sealed class MySqlDialect : ISqlDialect
{
    public string QuoteIdentifier(string identifier) => Quote(identifier);

    internal static string Quote(string identifier) => "`" + identifier.Replace("`", "``") + "`";
}
