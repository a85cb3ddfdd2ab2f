namespace Quarry.Server.Connections;

public static class ConnectionMapping
{
    public static IReadOnlyDictionary<string, JsonElement> PublicParameters(this Connection connection) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(connection.ParametersJson) ?? [];

    public static ConnectionDto ToDto(this Connection connection, IReadOnlyList<string> secretParameterNames) => new(
        connection.Id,
        connection.Name,
        connection.Type,
        connection.Host,
        connection.Port,
        connection.Username,
        connection.PasswordSecret is not null,
        connection.Database,
        connection.Path,
        connection.PublicParameters(),
        secretParameterNames,
        connection.CreatedAt,
        connection.UpdatedAt);

    public static ConnectionRef ToRef(this Connection connection) => new(connection.Id, connection.Name, connection.Type);
}
