using Quarry.Server.Secrets;

namespace Quarry.Server.Connections;

/// <summary>
/// Validates connection requests and maps them onto entities, encrypting secrets on the way in. What each type
/// requires, refuses and defaults comes from its connector's <see cref="ConnectorDescriptor"/>.
/// </summary>
public sealed class ConnectionService(SecretBox secrets, ConnectorRegistry connectors, QuarryDb db)
{
    public IReadOnlyCollection<string> SupportedTypes => connectors.Types;

    public Connection Create(ConnectionRequest request)
    {
        var now = DateTime.UtcNow;
        var name = Names.Require(request.Name);
        var connection = new Connection
        {
            Name = name,
            NameKey = Names.Key(name),
            Type = NormalizeType(request.Type),
            CreatedAt = now,
            UpdatedAt = now,
        };
        Apply(connection, request, creating: true);
        return connection;
    }

    /// <summary>Applies a PUT body: fields that are left out (null) keep their value.</summary>
    public void Update(Connection connection, ConnectionRequest request)
    {
        if (request.Name is not null)
        {
            connection.Name = Names.Require(request.Name);
            connection.NameKey = Names.Key(connection.Name);
        }
        if (request.Type is not null && NormalizeType(request.Type) != connection.Type)
            throw InvalidInputProblem.Single("type", $"cannot change from '{connection.Type}'; create a new connection instead.");
        Apply(connection, request, creating: false);
        connection.UpdatedAt = DateTime.UtcNow;
    }

    /// <summary>
    /// Applies a PUT body to a stored connection that is being saved. A change that points it at another source (host,
    /// port or file) leaves its datastores with catalogs read from the old one: they are marked stale, saved with the
    /// connection, as moving a datastore does. Name, credentials, parameters and the database leave them as they are:
    /// a datastore names its own database (a new one takes the connection's when created).
    /// </summary>
    public async Task UpdateAsync(Connection connection, ConnectionRequest request, CancellationToken ct)
    {
        var source = SourceOf(connection);
        Update(connection, request);
        if (SourceOf(connection) == source) return;
        foreach (var datastore in await db.Datastores.Where(d => d.ConnectionId == connection.Id).ToListAsync(ct))
            datastore.CatalogStale = true;
    }

    private static (string? Host, int? Port, string? Path) SourceOf(Connection connection) =>
        (connection.Host, connection.Port, connection.Path);

    private void Apply(Connection connection, ConnectionRequest request, bool creating)
    {
        var connector = connectors.For(connection.Type).Descriptor;
        RefuseUnusedFields(connector, request);
        if (request.Host is not null) connection.Host = Blank(request.Host);
        if (request.Port is not null) connection.Port = request.Port;
        if (request.Username is not null) connection.Username = Blank(request.Username);
        if (request.Password is not null) connection.PasswordSecret = request.Password.Length == 0 ? null : secrets.Encrypt(request.Password);
        if (request.Database is not null) connection.Database = Blank(request.Database);
        if (request.Path is not null) connection.Path = Blank(request.Path);
        if (request.Parameters is not null)
        {
            // The given map replaces the plain parameters. Secret ones are write-only, so a client can't send back
            // what it never saw: like the password, a secret parameter left out keeps its value; null or "" removes it.
            var plain = request.Parameters.Where(p => !ConnectionParameters.IsSecret(p.Key) && p.Value.ValueKind != JsonValueKind.Null).ToDictionary();
            var secret = creating ? [] : DecryptSecretParameters(connection);
            foreach (var (key, value) in request.Parameters.Where(p => ConnectionParameters.IsSecret(p.Key)))
            {
                var text = value.ValueKind switch { JsonValueKind.Null => "", JsonValueKind.String => value.GetString()!, _ => value.GetRawText() };
                if (text.Length == 0) secret.Remove(key);
                else secret[key] = text;
            }
            connection.ParametersJson = JsonSerializer.Serialize(plain);
            connection.SecretParameters = secret.Count == 0 ? null : secrets.Encrypt(JsonSerializer.Serialize(secret));
        }
        if (creating && connection.Port is null) connection.Port = connector.DefaultPort;
        Validate(connector, connection);
    }

    /// <summary>
    /// A field the connector never reads would be stored, exported and shown as if it mattered (a SQLite file with
    /// "database: analytics" still reads the file at 'path'): refused, naming the field and what is read instead.
    /// An empty value is allowed, as it clears the field.
    /// </summary>
    private static void RefuseUnusedFields(ConnectorDescriptor connector, ConnectionRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (field, why) in connector.UnusedFields)
            if (Given(request, field)) errors[field] = [$"is not used by a {connector.Type} connection: {why} Remove '{field}'."];
        if (errors.Count > 0) throw new InvalidInputProblem(errors);
    }

    private static bool Given(ConnectionRequest request, string field) => field switch
    {
        ConnectionFields.Host => !string.IsNullOrWhiteSpace(request.Host),
        ConnectionFields.Port => request.Port is not null,
        ConnectionFields.Username => !string.IsNullOrWhiteSpace(request.Username),
        ConnectionFields.Password => !string.IsNullOrEmpty(request.Password),
        ConnectionFields.Database => !string.IsNullOrWhiteSpace(request.Database),
        ConnectionFields.Path => !string.IsNullOrWhiteSpace(request.Path),
        _ => false,
    };

    private static bool IsSet(Connection connection, string field) => field switch
    {
        ConnectionFields.Host => connection.Host is not null,
        ConnectionFields.Port => connection.Port is not null,
        ConnectionFields.Username => connection.Username is not null,
        ConnectionFields.Password => connection.PasswordSecret is not null,
        ConnectionFields.Database => connection.Database is not null,
        ConnectionFields.Path => connection.Path is not null,
        _ => false,
    };

    private static void Validate(ConnectorDescriptor connector, Connection connection)
    {
        var errors = new Dictionary<string, string[]>();
        if (connection.Port is < 1 or > 65535) errors["port"] = ["must be between 1 and 65535."];
        foreach (var (field, message) in connector.RequiredFields)
            if (!IsSet(connection, field)) errors[field] = [message];
        if (errors.Count > 0) throw new InvalidInputProblem(errors);
    }

    /// <summary>The stored type for a requested type or one of its connector's aliases (any case).</summary>
    public string NormalizeType(string? type)
    {
        if (string.IsNullOrWhiteSpace(type)) throw InvalidInputProblem.Single("type", $"is required; one of: {string.Join(", ", SupportedTypes)}.");
        return connectors.Find(type)?.Type
            ?? throw InvalidInputProblem.Single("type", $"'{type}' is not supported; one of: {string.Join(", ", SupportedTypes)}.");
    }

    /// <summary>The names of the secret parameters that are set (their values are never returned).</summary>
    public IReadOnlyList<string> SecretParameterNames(Connection connection) =>
        connection.SecretParameters is null ? [] : [.. DecryptSecretParameters(connection).Keys.Order(StringComparer.Ordinal)];

    public ConnectionDto ToDto(Connection connection) => connection.ToDto(SecretParameterNames(connection));

    /// <summary>Everything a connector needs, secrets decrypted. Never serialise this.</summary>
    public ConnectionDetails Details(Connection connection)
    {
        var parameters = connection.PublicParameters()
            .ToDictionary(p => p.Key, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
        foreach (var (key, value) in DecryptSecretParameters(connection)) parameters[key] = value;
        return new ConnectionDetails(connection.Type, connection.Host, connection.Port, connection.Username,
            secrets.DecryptOrNull(connection.PasswordSecret), connection.Database, connection.Path, parameters);
    }

    /// <summary>The details of an unsaved connection (test it, or discover its catalogs, before saving).</summary>
    public ConnectionDetails Details(ConnectionRequest request)
    {
        var connection = Create(request);
        return Details(connection);
    }

    /// <summary>Whether a desired password differs from the stored one, compared on the server only.</summary>
    public bool PasswordDiffers(Connection connection, string? desired) =>
        desired is not null && secrets.DecryptOrNull(connection.PasswordSecret) != (desired.Length == 0 ? null : desired);

    public Dictionary<string, string> DecryptSecretParameters(Connection connection) =>
        connection.SecretParameters is null
            ? []
            : JsonSerializer.Deserialize<Dictionary<string, string>>(secrets.Decrypt(connection.SecretParameters)) ?? [];

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
