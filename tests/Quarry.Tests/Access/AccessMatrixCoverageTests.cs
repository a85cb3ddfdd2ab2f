using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;

namespace Quarry.Tests.Access;

/// <summary>
/// The access matrices are only as good as their rows: an endpoint added without a row would never be checked for who
/// may call it. Every endpoint the server maps must have at least one row in <see cref="AccessMatrixTests"/> or
/// <see cref="AccessMatrixFeatureTests"/>.
/// </summary>
public sealed partial class AccessMatrixCoverageTests(ServerPerStore servers) : IClassFixture<ServerPerStore>
{
    [Fact]
    public async Task EveryEndpointTheServerMapsHasARowInTheAccessMatrices()
    {
        var server = await servers.For(StoreKind.Sqlite);
        var rows = AccessMatrixTests.Endpoints.Concat(AccessMatrixFeatureTests.Endpoints)
            .Select(endpoint => Key(endpoint.Split(" (", 2)[0].Split('?', 2)[0]))
            .ToHashSet();
        var mapped = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => Key($"{m} {e.RoutePattern.RawText}")))
            .Distinct()
            .ToList();
        Assert.True(mapped.Count > 60, $"only {mapped.Count} endpoints found: {string.Join(", ", mapped)}");

        var rowless = mapped.Where(k => !rows.Contains(k)).Order().ToList();
        Assert.True(rowless.Count == 0, "No access-matrix row checks who may call: " + string.Join(", ", rowless));
    }

    /// <summary>
    /// <c>GET /api/containers/{id:int}</c> and the row <c>GET /api/containers/{id}</c> name the same endpoint, and so do
    /// a group's <c>GET /api/teams/</c> and <c>GET /api/teams</c>.
    /// </summary>
    private static string Key(string endpoint)
    {
        var key = Parameter().Replace(endpoint.Trim(), "{}");
        return key.EndsWith('/') && !key.EndsWith(" /", StringComparison.Ordinal) ? key[..^1] : key;
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Parameter();
}
