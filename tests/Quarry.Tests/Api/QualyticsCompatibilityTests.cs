using System.Text.RegularExpressions;
using Quarry.Tests.Quality;

namespace Quarry.Tests.Api;

/// <summary>
/// The public Qualytics CLI's own compatibility check (its <c>doctor</c> command: qualytics/api/compatibility.py,
/// version 1.0.4) run against Quarry's OpenAPI document, with the same operation list and the same matching rule.
/// </summary>
public sealed partial class QualyticsCompatibilityTests
{
    // REQUIRED_API_OPERATIONS: KNOWN_API_OPERATIONS less OPTIONAL_API_OPERATIONS, as that file lists them.
    private static readonly (string Method, string Path)[] Required =
    [
        ("GET", "/api/anomalies"), ("PATCH", "/api/anomalies"), ("DELETE", "/api/anomalies"),
        ("GET", "/api/anomalies/{anomaly_id}"), ("PUT", "/api/anomalies/{anomaly_id}"), ("DELETE", "/api/anomalies/{anomaly_id}"),
        ("POST", "/api/computed-fields"), ("PUT", "/api/computed-fields/{field_id}"),
        ("GET", "/api/connections"), ("POST", "/api/connections"), ("GET", "/api/connections/{connection_id}"),
        ("PUT", "/api/connections/{connection_id}"), ("DELETE", "/api/connections/{connection_id}"), ("POST", "/api/connections/{connection_id}/test"),
        ("GET", "/api/containers"), ("POST", "/api/containers"), ("PATCH", "/api/containers"), ("GET", "/api/containers/listing"),
        ("POST", "/api/containers/validate"), ("GET", "/api/containers/{container_id}"), ("PUT", "/api/containers/{container_id}"),
        ("DELETE", "/api/containers/{container_id}"), ("GET", "/api/containers/{container_id}/field-profiles"),
        ("GET", "/api/datastores"), ("POST", "/api/datastores"), ("GET", "/api/datastores/{datastore_id}"), ("PUT", "/api/datastores/{datastore_id}"),
        ("DELETE", "/api/datastores/{datastore_id}"), ("POST", "/api/datastores/{datastore_id}/connection"),
        ("DELETE", "/api/datastores/{datastore_id}/enrichment"), ("PATCH", "/api/datastores/{datastore_id}/enrichment/{enrichment_id}"),
        ("POST", "/api/export/anomalies"), ("POST", "/api/export/checks"), ("POST", "/api/export/check-templates"), ("POST", "/api/export/field-profiles"),
        ("GET", "/api/global-tags"), ("POST", "/api/global-tags"), ("GET", "/api/global-tags/{tag_name}"), ("DELETE", "/api/global-tags/{tag_name}"),
        ("GET", "/api/operations"), ("POST", "/api/operations/run"), ("GET", "/api/operations/{operation_id}"), ("PUT", "/api/operations/abort/{operation_id}"),
        ("GET", "/api/quality-checks"), ("POST", "/api/quality-checks"), ("DELETE", "/api/quality-checks"),
        ("GET", "/api/quality-checks/{check_id}"), ("PUT", "/api/quality-checks/{check_id}"), ("DELETE", "/api/quality-checks/{check_id}"),
        ("POST", "/api/quality-check-templates"),
        ("GET", "/api/teams"), ("GET", "/api/teams/{team_id}"), ("GET", "/api/users"), ("GET", "/api/users/{user_id}"),
    ];

    [Fact]
    public async Task TheQualyticsCliCompatibilityCheckFindsEveryOperationItNeeds()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var document = await server.Client(null).ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/openapi.json");

        var available = new Dictionary<string, HashSet<string>>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var methods = available.TryGetValue(Normalize(path.Name), out var known) ? known : available[Normalize(path.Name)] = [];
            foreach (var operation in path.Value.EnumerateObject())
                if (operation.Name.ToUpperInvariant() is "DELETE" or "GET" or "PATCH" or "POST" or "PUT") methods.Add(operation.Name.ToUpperInvariant());
        }
        var missing = Required.Where(r => !available.TryGetValue(Normalize(r.Path), out var methods) || !methods.Contains(r.Method))
            .Select(r => $"{r.Method} {r.Path}").ToList();

        Assert.Equal(54, Required.Length);
        Assert.Empty(missing);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task TagsAreOneSharedSetThatDatastoresAndChecksShare(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/datastores/{world.DatastoreId}", new { tags = new[] { "finance" } });
        await admin.CreateAsync("/api/quality-checks", new { container_id = world.Orders, rule = "notNull", fields = new[] { "email" }, tags = new[] { "pii", "Finance" } });

        Assert.Equal(["finance", "pii"], (await admin.ReadAsync("/api/global-tags")).Names());
        var finance = await admin.ReadAsync("/api/global-tags/FINANCE");
        Assert.Equal((1, 1), (finance.GetProperty("datastores").GetInt32(), finance.GetProperty("checks").GetInt32()));

        var gold = await admin.CreateAsync("/api/global-tags", new { name = "gold", color = "#d4af37", description = "curated" });
        Assert.Equal("#d4af37", gold.GetProperty("color").GetString());
        await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Post, "/api/global-tags", new { name = "GOLD" });
        // A tag in use is described by creating it.
        Assert.Equal("money", (await admin.CreateAsync("/api/global-tags", new { name = "finance", description = "money" })).GetProperty("description").GetString());
        Assert.Equal(["finance", "gold", "pii"], (await admin.ReadAsync("/api/global-tags")).Names());

        // Deleting a tag takes it off every datastore and check.
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, "/api/global-tags/finance");
        Assert.Empty((await admin.ReadAsync($"/api/datastores/{world.DatastoreId}")).GetProperty("tags").EnumerateArray());
        var check = (await admin.ReadAsync($"/api/quality-checks?datastore={world.DatastoreId}")).GetProperty("items")[0];
        Assert.Equal(["pii"], check.GetProperty("global_tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/api/global-tags/finance");
        await admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Delete, "/api/global-tags/finance");
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ATemplateMakesChecksOnAnyContainer(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        var template = await admin.CreateAsync("/api/quality-check-templates",
            new { rule = "notNull", fields = new[] { "id" }, description = "ids are set", tags = new[] { "core" }, additional_metadata = new { source = "catalog" } });
        Assert.Equal("notNull", template.GetProperty("rule_type").GetString());

        var id = template.GetProperty("id").GetInt32();
        foreach (var container in new[] { world.Orders, world.Customers })
        {
            var check = await admin.CreateAsync("/api/quality-checks", new { template_id = id, container_id = container });
            Assert.Equal(("notNull", "id", "ids are set"), (check.GetProperty("rule_type").GetString(), check.GetProperty("fields")[0].GetProperty("name").GetString(), check.GetProperty("description").GetString()));
            Assert.Equal("catalog", check.GetProperty("additional_metadata").GetProperty("source").GetString());
        }
        var own = await admin.CreateAsync("/api/quality-checks", new { template_id = id, container_id = world.Orders, fields = new[] { "email" } });
        Assert.Equal("email", own.GetProperty("fields")[0].GetProperty("name").GetString());

        var wrongRule = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/quality-check-templates", new { rule = "notAThing", fields = new[] { "id" } });
        Assert.Contains("rule", wrongRule.GetProperty("detail").GetString());
        var noTemplate = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/quality-checks", new { template_id = 999_999, container_id = world.Orders });
        Assert.Contains("template_id", noTemplate.GetProperty("detail").GetString());
    }

    /// <summary>normalize_api_path: drop the query and the /api prefix, and any path parameter's name.</summary>
    private static string Normalize(string path)
    {
        path = "/" + path.Split('?', 2)[0].Trim('/');
        if (path == "/api") path = "/";
        else if (path.StartsWith("/api/", StringComparison.Ordinal)) path = path[4..];
        return PathParameter().Replace(path, "{}");
    }

    [GeneratedRegex(@"\{[^}/]+\}")]
    private static partial Regex PathParameter();
}
