namespace Quarry.Contracts;

/// <summary>GET /api/status: the server is up, its version and which store it runs on.</summary>
public sealed record StatusDto(string Status, string Version, string Store);
