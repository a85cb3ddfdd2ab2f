using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace Quarry.Tests.Api;

public sealed partial class OpenApiTests(ServerPerStore servers) : IClassFixture<ServerPerStore>
{
    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryApiEndpointTheServerMapsWithItsResponses()
    {
        var server = await servers.For(StoreKind.Sqlite);
        var document = await server.Client(null).ReadAsync("/api/openapi.json");

        var described = new Dictionary<string, JsonElement>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                described[$"{operation.Name.ToUpperInvariant()} {path.Name}"] = operation.Value;

        var mapped = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal) && e.RoutePattern.RawText != "/api/openapi.json")
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Key: $"{m} {Normalize(e.RoutePattern.RawText!)}", Endpoint: e)))
            .ToList();
        Assert.True(mapped.Count > 30, $"only {mapped.Count} endpoints found");

        var missing = mapped.Select(m => m.Key).Where(k => !described.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, "Not in /api/openapi.json: " + string.Join(", ", missing) + "\nDocument has: " + string.Join(", ", described.Keys));
        Assert.Empty(described.Keys.Except(mapped.Select(m => m.Key)));

        foreach (var (key, endpoint) in mapped)
        {
            var responses = described[key].GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
            Assert.True(responses.Any(r => r.StartsWith('2')), $"{key} documents no success response");
            if (endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null)
                foreach (var status in new[] { "400", "401", "403", "404", "409" })
                    Assert.True(responses.Contains(status), $"{key} does not document {status}: {string.Join(", ", responses)}");
        }
    }

    [Fact]
    public async Task TheDocumentDeclaresBearerTokensAndNamesQueryParametersAsTheApiDoes()
    {
        var server = await servers.For(StoreKind.Sqlite);
        var document = await server.Client(null).ReadAsync("/api/openapi.json");

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.True(document.GetProperty("security")[0].TryGetProperty("bearer", out _));
        var names = document.GetProperty("paths").GetProperty("/api/datastores").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Subset(names.ToHashSet(), new HashSet<string?> { "name", "search", "tag", "enrichment_only", "connection_id", "page", "size" });
        Assert.DoesNotContain(names, n => char.IsUpper(n![0]));
        // The names the document gives are the ones the server binds.
        var admin = server.Admin;
        await admin.CreateDatastoreAsync("only", await admin.CreateConnectionAsync("warehouse"));
        Assert.Equal(["only"], (await admin.ReadAsync("/api/datastores?name=only&page=1&size=5")).Names());
        Assert.Equal(5, (await admin.ReadAsync("/api/datastores?size=5")).GetProperty("size").GetInt32());
    }

    /// <summary>"/api/connections/{id:int}/" → "/api/connections/{id}", as OpenAPI writes paths.</summary>
    private static string Normalize(string pattern)
    {
        var path = Constraint().Replace(pattern, "}");
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    [GeneratedRegex(@":[^}]+\}")]
    private static partial Regex Constraint();
}
