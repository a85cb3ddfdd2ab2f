namespace Quarry.Server.Connections;

/// <summary>A connection type as the web wizard and clients see it: what to ask for and what the connector can do.</summary>
public sealed record ConnectorTypeDto(
    string Type,
    string DisplayName,
    IReadOnlyList<string> Aliases,
    int? DefaultPort,
    IReadOnlyList<ConnectorFieldDto> RequiredFields,
    IReadOnlyList<string> Fields,
    string CatalogLevel,
    string? NoCatalogReason,
    string? DefaultSchema,
    bool RequiresSchema,
    IReadOnlyList<string> Capabilities);

public sealed record ConnectorFieldDto(string Field, string Message);

/// <summary>
/// <c>GET /api/connector-types</c>: every registered connector, read from its descriptor, so a client (the wizard's
/// connection form) asks for the right fields without knowing the type names.
/// </summary>
public static class ConnectorTypesApi
{
    public static void MapConnectorTypes(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/connector-types", List).WithTags("Connections").RequireMember().WithProblems();

    private static Ok<List<ConnectorTypeDto>> List(ConnectorRegistry connectors) =>
        TypedResults.Ok(connectors.Descriptors.OrderBy(d => d.Type, StringComparer.Ordinal).Select(ToDto).ToList());

    public static ConnectorTypeDto ToDto(ConnectorDescriptor d) => new(
        d.Type,
        d.DisplayName,
        d.Aliases,
        d.DefaultPort,
        d.RequiredFields.Select(f => new ConnectorFieldDto(f.Field, f.Message)).ToList(),
        d.AllowedFields.ToList(),
        d.CatalogLevel.ToString().ToLowerInvariant(),
        d.NoCatalogReason,
        d.RequiresSchema ? null : d.DefaultSchema,
        d.RequiresSchema,
        Enum.GetValues<ConnectorCapabilities>().Where(c => c != ConnectorCapabilities.None && d.Supports(c)).Select(Snake).ToList());

    private static string Snake(ConnectorCapabilities capability) =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(capability.ToString());
}
