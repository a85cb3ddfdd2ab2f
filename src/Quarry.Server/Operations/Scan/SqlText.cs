namespace Quarry.Server.Operations.Scan;

/// <summary>
/// Collects one statement's parameters while a planner composes it: every value goes through <see cref="Bind"/>,
/// which answers the dialect's marker for it, so no value is ever written into the SQL text.
/// </summary>
internal sealed class SqlText(ISqlDialect dialect)
{
    private readonly List<SourceParameter> _parameters = [];

    public ISqlDialect Dialect => dialect;

    public string Quote(string identifier) => dialect.QuoteIdentifier(identifier);

    /// <summary>Adds <paramref name="value"/> as a parameter; the answer stands for it in the statement.</summary>
    public string Bind(object? value)
    {
        var name = "p" + _parameters.Count;
        _parameters.Add(new SourceParameter(name, value));
        return dialect.ParameterMarker(name);
    }

    public SourceStatement Statement(string sql) => new(sql, _parameters.ToList());
}
