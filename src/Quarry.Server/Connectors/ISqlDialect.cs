namespace Quarry.Server.Connectors;

/// <summary>
/// The small SQL questions a planner asks a connector, so that it composes queries without switching on a type.
/// Identifiers reach SQL only through <see cref="QuoteIdentifier"/>; values only as parameters.
/// </summary>
public interface ISqlDialect
{
    /// <summary>The identifier quoted so that any name (spaces, quotes, keywords, case) reads as itself.</summary>
    string QuoteIdentifier(string identifier);
}
