namespace Quarry.Tests.Access;

/// <summary>
/// The access table for every endpoint beyond the foundation's (those are in <see cref="AccessMatrixTests"/>):
/// operations, containers, connection tests and verification, multi-schema, quality and config as code ×
/// every kind of caller → the status the rules in PRODUCT.md and the features' docs give.
/// </summary>
public sealed class AccessMatrixFeatureTests
{
    private const int Ok = 200, Created = 201, Accepted = 202, NoContent = 204, BadRequest = 400, Unauthorized = 401, Forbidden = 403, NotFound = 404;

    private sealed record Row(string Endpoint, Func<FeatureAccessWorld, Task<(HttpMethod, string, object?)>> Request, int[] Expected);

    private static Row R(string endpoint, HttpMethod method, Func<FeatureAccessWorld, string> path, int[] expected, Func<FeatureAccessWorld, object?>? body = null) =>
        new(endpoint, w => Task.FromResult((method, path(w), body?.Invoke(w))), expected);

    private static Row R(string endpoint, Func<FeatureAccessWorld, Task<(HttpMethod, string, object?)>> request, int[] expected) => new(endpoint, request, expected);

    //                                                     no token      no team    Viewer     Author     Editor     Manager    Admin
    private static int[] Anyone(int status) => [status, status, status, status, status, status, status];
    private static int[] Members(int status) => [Unauthorized, status, status, status, status, status, status];
    // Whatever belongs to a datastore outside the caller's teams (the datastore itself, its operations, containers, fields,
    // profiles, checks, computed fields and containers, anomalies) answers as what does not exist: 404, never a 403.
    private static int[] TeamReaders(int status) => [Unauthorized, NotFound, status, status, status, status, status];
    private static int[] TeamAuthors(int status) => [Unauthorized, NotFound, Forbidden, status, status, status, status];
    private static int[] Managers(int status) => [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, status, status];
    // Moving a datastore of team T needs Manager; a Member outside its teams does not see it at all.
    private static int[] ManagersOfTeamT(int status) => [Unauthorized, NotFound, Forbidden, Forbidden, Forbidden, status, status];
    // A body naming such a container gets the 400 "no container has id …" of a container that does not exist.
    private static int[] TeamAuthorsElseNoContainer(int status) => [Unauthorized, BadRequest, Forbidden, status, status, status, status];

    private static readonly Row[] Rows =
    [
        // The API description and the web UI's static files hold no data: the UI asks for a token itself.
        R("GET /api/openapi.json", HttpMethod.Get, _ => "/api/openapi.json", Anyone(Ok)),
        R("GET / (web UI)", HttpMethod.Get, _ => "/", Anyone(Ok)),
        R("GET /ui/{file}", HttpMethod.Get, _ => "/ui/app.js", Anyone(Ok)),

        // docs/sync.md: running and aborting need Author in one of the datastore's teams; reading follows the datastore.
        R("POST /api/operations/run (team T)", HttpMethod.Post, _ => "/api/operations/run", TeamAuthors(Accepted),
            w => new { type = "sync", datastore_id = w.Datastore }),
        R("POST /api/operations/run (Public: everyone is only a Viewer)", HttpMethod.Post, _ => "/api/operations/run", Managers(Accepted),
            w => new { type = "sync", datastore_id = w.PublicDatastore }),
        R("GET /api/operations", HttpMethod.Get, _ => "/api/operations", Members(Ok)),
        R("GET /api/operations?datastore= (team T)", HttpMethod.Get, w => $"/api/operations?datastore={w.Datastore}", Members(Ok)),
        R("GET /api/operations/{id} (team T)", HttpMethod.Get, w => $"/api/operations/{w.FinishedOperation}", TeamReaders(Ok)),
        R("PUT /api/operations/abort/{id} (team T)", async w =>
            (HttpMethod.Put, $"/api/operations/abort/{await w.RunningOperationAsync()}", null), TeamAuthors(Ok)),

        R("GET /api/containers", HttpMethod.Get, _ => "/api/containers", Members(Ok)),
        R("GET /api/containers?datastore= (team T)", HttpMethod.Get, w => $"/api/containers?datastore={w.Datastore}", TeamReaders(Ok)),
        R("GET /api/containers?datastore= (Public)", HttpMethod.Get, w => $"/api/containers?datastore={w.PublicDatastore}", Members(Ok)),
        R("GET /api/containers/{id} (team T)", HttpMethod.Get, w => $"/api/containers/{w.Orders}", TeamReaders(Ok)),
        // docs/enrichment.md "Exports" and "Materialize": run like any operation of the datastore; check templates into an enrichment datastore likewise.
        R("POST /api/export/anomalies (team T)", async w => { await w.EnrichmentAsync(); return (HttpMethod.Post, $"/api/export/anomalies?datastore={w.Datastore}", null); },
            TeamAuthors(Accepted)),
        R("POST /api/export/checks (team T)", async w => { await w.EnrichmentAsync(); return (HttpMethod.Post, $"/api/export/checks?datastore={w.Datastore}", null); },
            TeamAuthors(Accepted)),
        R("POST /api/export/field-profiles (team T)", async w =>
            { await w.EnrichmentAsync(); return (HttpMethod.Post, $"/api/export/field-profiles?datastore={w.Datastore}&containers={w.Orders}", null); }, TeamAuthors(Accepted)),
        R("POST /api/export/check-templates (team T)", async w =>
            (HttpMethod.Post, $"/api/export/check-templates?enrich_datastore_id={await w.EnrichmentAsync()}", null), TeamAuthors(NoContent)),
        R("POST /api/operations/run export (team T)", async w =>
            { await w.EnrichmentAsync(); return (HttpMethod.Post, "/api/operations/run", new { type = "export", datastore_id = w.Datastore }); }, TeamAuthors(Accepted)),
        R("POST /api/operations/run materialize (team T)", async w =>
            { await w.EnrichmentAsync(); return (HttpMethod.Post, "/api/operations/run", new { type = "materialize", datastore_id = w.Datastore }); }, TeamAuthors(Accepted)),
        R("GET /api/containers/{id}/fields (team T)", HttpMethod.Get, w => $"/api/containers/{w.Orders}/fields", TeamReaders(Ok)),

        // docs/profile.md: profiling is run like any operation; its field profiles are read like the container.
        R("POST /api/operations/run profile (team T)", HttpMethod.Post, _ => "/api/operations/run", TeamAuthors(Accepted),
            w => new { type = "profile", datastore_id = w.Datastore }),
        R("POST /api/operations/run scan (team T)", HttpMethod.Post, _ => "/api/operations/run", TeamAuthors(Accepted),
            w => new { type = "scan", datastore_id = w.Datastore }),
        R("POST /api/operations/run scan (Public: everyone is only a Viewer)", HttpMethod.Post, _ => "/api/operations/run", Managers(Accepted),
            w => new { type = "scan", datastore_id = w.PublicDatastore }),
        R("GET /api/connector-types", HttpMethod.Get, _ => "/api/connector-types", Members(Ok)),
        R("GET /api/containers/{id}/field-profiles (team T)", HttpMethod.Get, w => $"/api/containers/{w.Orders}/field-profiles", TeamReaders(Ok)),
        R("GET /api/fields/{id}/profiles (team T)", HttpMethod.Get, w => $"/api/fields/{w.OrdersAmount}/profiles", TeamReaders(Ok)),

        // docs/sync.md: testing connections needs Manager; verifying a datastore needs read access to it.
        R("POST /api/connections/{id}/test", HttpMethod.Post, w => $"/api/connections/{w.Connection}/test", Managers(Ok)),
        R("POST /api/connections/test", HttpMethod.Post, _ => "/api/connections/test", Managers(Ok), w => w.UnsavedConnection()),
        R("POST /api/datastores/{id}/connection (team T)", HttpMethod.Post, w => $"/api/datastores/{w.Datastore}/connection", TeamReaders(Ok)),
        R("POST /api/datastores/{id}/connection (Public)", HttpMethod.Post, w => $"/api/datastores/{w.PublicDatastore}/connection", Members(Ok)),

        // docs/multi-schema.md: all of it needs Manager.
        R("GET /api/connections/{id}/catalogs", HttpMethod.Get, w => $"/api/connections/{w.Connection}/catalogs", Managers(Ok)),
        R("GET /api/connections/{id}/schemas", HttpMethod.Get, w => $"/api/connections/{w.Connection}/schemas", Managers(Ok)),
        R("POST /api/connections/catalogs", HttpMethod.Post, _ => "/api/connections/catalogs", Managers(Ok), w => w.UnsavedConnection()),
        R("POST /api/connections/schemas", HttpMethod.Post, _ => "/api/connections/schemas", Managers(Ok), w => w.UnsavedConnection()),
        R("POST /api/connections/{id}/datastores/validate", HttpMethod.Post, w => $"/api/connections/{w.Connection}/datastores/validate", Managers(Ok),
            _ => new { schemas = new[] { "main" } }),
        R("POST /api/connections/datastores/validate", HttpMethod.Post, _ => "/api/connections/datastores/validate", Managers(Ok),
            w => new { connection = w.UnsavedConnection(), schemas = new[] { "main" } }),
        R("POST /api/connections/{id}/datastores/bulk", HttpMethod.Post, w => $"/api/connections/{w.Connection}/datastores/bulk", Managers(Ok),
            _ => new { schemas = new[] { "main" }, name_template = FeatureAccessWorld.Fresh("bulk") + "_{{ schema }}", teams = new[] { "T" } }),
        R("POST /api/connections/datastores/bulk", HttpMethod.Post, _ => "/api/connections/datastores/bulk", Managers(Ok),
            w => new
            {
                connection = w.UnsavedConnection(FeatureAccessWorld.Fresh("new_source")), schemas = new[] { "main" },
                name_template = FeatureAccessWorld.Fresh("bulk_new") + "_{{ schema }}", teams = new[] { "T" },
            }),

        // docs/full-config.md "Access": reading follows the datastore; changing needs Author in one of its teams.
        R("GET /api/quality-checks", HttpMethod.Get, _ => "/api/quality-checks", Members(Ok)),
        R("GET /api/quality-checks/rules", HttpMethod.Get, _ => "/api/quality-checks/rules", Members(Ok)),
        R("POST /api/quality-checks/bulk (team T)", HttpMethod.Post, _ => "/api/quality-checks/bulk", TeamAuthorsElseNoContainer(Created),
            w => new[] { w.CheckBody(), w.CheckBody() }),
        R("GET /api/quality-checks/{id} (team T)", HttpMethod.Get, w => $"/api/quality-checks/{w.Check}", TeamReaders(Ok)),
        R("POST /api/quality-checks (team T)", HttpMethod.Post, _ => "/api/quality-checks", TeamAuthorsElseNoContainer(Created), w => w.CheckBody()),
        R("PUT /api/quality-checks/{id} (team T)", HttpMethod.Put, w => $"/api/quality-checks/{w.Check}", TeamAuthors(Ok),
            _ => new { description = FeatureAccessWorld.Fresh("described") }),
        R("PATCH /api/quality-checks (team T)", HttpMethod.Patch, _ => "/api/quality-checks", TeamAuthors(Ok),
            w => new[] { new { id = w.Check, status = "Active" } }),
        R("DELETE /api/quality-checks/{id} (team T)", async w =>
            (HttpMethod.Delete, $"/api/quality-checks/{await w.Server.Admin.CreateIdAsync("/api/quality-checks", w.CheckBody())}", null), TeamAuthors(NoContent)),
        R("DELETE /api/quality-checks/{id}?archive=true (team T)", async w =>
            (HttpMethod.Delete, $"/api/quality-checks/{await w.Server.Admin.CreateIdAsync("/api/quality-checks", w.CheckBody())}?archive=true&status=Resolved", null),
            TeamAuthors(NoContent)),
        R("DELETE /api/quality-checks (team T)", async w =>
            (HttpMethod.Delete, "/api/quality-checks", new object[]
            {
                new { id = await w.Server.Admin.CreateIdAsync("/api/quality-checks", w.CheckBody()), archive = true },
                new { id = await w.Server.Admin.CreateIdAsync("/api/quality-checks", w.CheckBody()) },
            }), TeamAuthors(NoContent)),
        // A template belongs to no datastore: reading is for every Member, creating one for Managers.
        R("GET /api/quality-check-templates", HttpMethod.Get, _ => "/api/quality-check-templates", Members(Ok)),
        R("GET /api/quality-check-templates/{id}", async w =>
            (HttpMethod.Get, $"/api/quality-check-templates/{await w.Server.Admin.CreateIdAsync("/api/quality-check-templates", new { rule = "notNull", fields = new[] { "id" } })}", null),
            Members(Ok)),
        R("POST /api/quality-check-templates", HttpMethod.Post, _ => "/api/quality-check-templates", Managers(Created),
            _ => new { rule = "notNull", fields = new[] { "amount" }, description = FeatureAccessWorld.Fresh("template") }),

        // Tags are one shared set: every Member reads them (those of datastores it sees); describing and removing one is a Manager's call.
        R("GET /api/global-tags", HttpMethod.Get, _ => "/api/global-tags", Members(Ok)),
        R("GET /api/global-tags/{name}", async w =>
        {
            await w.Server.Admin.SendAsync(HttpMethod.Post, "/api/global-tags", new { name = "described" });
            return (HttpMethod.Get, "/api/global-tags/described", null);
        }, Members(Ok)),
        R("POST /api/global-tags", HttpMethod.Post, _ => "/api/global-tags", Managers(Created), _ => new { name = FeatureAccessWorld.Fresh("tag"), color = "#336699" }),
        R("DELETE /api/global-tags/{name}", async w =>
        {
            var name = FeatureAccessWorld.Fresh("doomed");
            await w.Server.Admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/global-tags", new { name });
            return (HttpMethod.Delete, $"/api/global-tags/{name}", null);
        }, Managers(NoContent)),

        // Containers written as Qualytics clients write them: computed ones only, under the computed containers' rules.
        R("GET /api/containers/listing", HttpMethod.Get, _ => "/api/containers/listing", Members(Ok)),
        R("GET /api/containers/listing?datastore= (team T)", HttpMethod.Get, w => $"/api/containers/listing?datastore={w.Datastore}", TeamReaders(Ok)),
        R("POST /api/containers (team T)", HttpMethod.Post, _ => "/api/containers", TeamAuthors(Created), w => w.ComputedContainerBody()),
        R("PUT /api/containers/{id} (team T)", HttpMethod.Put, w => $"/api/containers/{w.ComputedContainer}", TeamAuthors(Ok),
            _ => new { description = FeatureAccessWorld.Fresh("described") }),
        R("PATCH /api/containers (team T)", HttpMethod.Patch, _ => "/api/containers", TeamAuthors(Ok),
            w => new object[] { new { id = w.ComputedContainer, changes = new { description = FeatureAccessWorld.Fresh("patched") } } }),
        R("DELETE /api/containers/{id} (team T)", async w =>
            (HttpMethod.Delete, $"/api/containers/{await w.Server.Admin.CreateIdAsync("/api/computed-containers", w.ComputedContainerBody())}", null),
            TeamAuthors(NoContent)),
        R("POST /api/containers/validate (team T)", HttpMethod.Post, _ => "/api/containers/validate", TeamAuthors(Ok),
            w => new { container = w.ComputedContainerBody() }),
        R("POST /api/datastores/connection", HttpMethod.Post, _ => "/api/datastores/connection", Managers(Ok), w => new { connection_id = w.Connection, schema = "main" }),

        R("GET /api/computed-fields", HttpMethod.Get, _ => "/api/computed-fields", Members(Ok)),
        R("GET /api/computed-fields/{id} (team T)", HttpMethod.Get, w => $"/api/computed-fields/{w.ComputedField}", TeamReaders(Ok)),
        R("POST /api/computed-fields (team T)", HttpMethod.Post, _ => "/api/computed-fields", TeamAuthorsElseNoContainer(Created), w => w.ComputedFieldBody()),
        R("PUT /api/computed-fields/{id} (team T)", HttpMethod.Put, w => $"/api/computed-fields/{w.ComputedField}", TeamAuthors(Ok),
            _ => new { description = FeatureAccessWorld.Fresh("described") }),
        R("DELETE /api/computed-fields/{id} (team T)", async w =>
            (HttpMethod.Delete, $"/api/computed-fields/{await w.Server.Admin.CreateIdAsync("/api/computed-fields", w.ComputedFieldBody())}", null), TeamAuthors(NoContent)),

        R("GET /api/computed-containers", HttpMethod.Get, _ => "/api/computed-containers", Members(Ok)),
        R("GET /api/computed-containers/{id} (team T)", HttpMethod.Get, w => $"/api/computed-containers/{w.ComputedContainer}", TeamReaders(Ok)),
        R("POST /api/computed-containers (team T)", HttpMethod.Post, _ => "/api/computed-containers", TeamAuthors(Created), w => w.ComputedContainerBody()),
        R("PUT /api/computed-containers/{id} (team T)", HttpMethod.Put, w => $"/api/computed-containers/{w.ComputedContainer}", TeamAuthors(Ok),
            _ => new { description = FeatureAccessWorld.Fresh("described") }),
        R("DELETE /api/computed-containers/{id} (team T)", async w =>
            (HttpMethod.Delete, $"/api/computed-containers/{await w.Server.Admin.CreateIdAsync("/api/computed-containers", w.ComputedContainerBody())}", null),
            TeamAuthors(NoContent)),

        // docs/api.md "Anomalies": reading follows the datastore; changing a status, archiving and deleting need Author in one of its teams.
        R("GET /api/anomalies", HttpMethod.Get, _ => "/api/anomalies", Members(Ok)),
        R("GET /api/anomalies?datastore= (team T)", HttpMethod.Get, w => $"/api/anomalies?datastore={w.Datastore}", Members(Ok)),
        R("GET /api/anomalies/{id} (team T)", HttpMethod.Get, w => $"/api/anomalies/{w.Anomaly}", TeamReaders(Ok)),
        R("GET /api/anomalies/{id}/source-records (team T)", HttpMethod.Get, w => $"/api/anomalies/{w.Anomaly}/source-records", TeamReaders(Ok)),
        R("PUT /api/anomalies/{id} (team T)", HttpMethod.Put, w => $"/api/anomalies/{w.Anomaly}", TeamAuthors(Ok),
            _ => new { status = "Acknowledged", description = FeatureAccessWorld.Fresh("seen") }),
        R("DELETE /api/anomalies/{id}?archive=true (team T)", async w =>
            (HttpMethod.Delete, $"/api/anomalies/{await w.NewAnomalyAsync()}?archive=true&status=Resolved", null), TeamAuthors(NoContent)),
        R("DELETE /api/anomalies/{id} (team T)", async w => (HttpMethod.Delete, $"/api/anomalies/{await w.NewAnomalyAsync()}", null), TeamAuthors(NoContent)),
        R("PATCH /api/anomalies (team T)", HttpMethod.Patch, _ => "/api/anomalies", TeamAuthors(Ok),
            w => new object[] { new { id = w.Anomaly, status = "Active" } }),
        R("DELETE /api/anomalies (team T)", async w =>
            (HttpMethod.Delete, "/api/anomalies", new object[] { new { id = await w.NewAnomalyAsync(), archive = true }, new { id = await w.NewAnomalyAsync() } }),
            TeamAuthors(NoContent)),
        R("GET /api/check-results", HttpMethod.Get, _ => "/api/check-results", Members(Ok)),
        R("GET /api/check-results?datastore= (team T)", HttpMethod.Get, w => $"/api/check-results?datastore={w.Datastore}&latest=true", Members(Ok)),
        R("GET /api/container-scans", HttpMethod.Get, _ => "/api/container-scans", Members(Ok)),
        R("GET /api/container-scans?datastore= (team T)", HttpMethod.Get, w => $"/api/container-scans?datastore={w.Datastore}&latest=true", Members(Ok)),

        // docs/api.md "Moving a datastore": another connection, database or schema needs the Manager role, as creating one there does.
        R("PUT /api/datastores/{id} to another connection (team T)", async w =>
            (HttpMethod.Put, $"/api/datastores/{await w.MovableDatastoreAsync()}", new { connection_id = await w.OtherConnectionAsync() }), ManagersOfTeamT(Ok)),
        R("PUT /api/datastores/{id} to another schema (team T)", async w =>
            (HttpMethod.Put, $"/api/datastores/{await w.MovableDatastoreAsync()}", new { schema = "temp" }), ManagersOfTeamT(Ok)),
        R("PUT /api/datastores/{id} to a connection that does not exist (team T)", async w =>
            (HttpMethod.Put, $"/api/datastores/{await w.MovableDatastoreAsync()}", new { connection_id = 999_999 }),
            ManagersOfTeamT(BadRequest)),

        // docs/config-import.md "Permissions": any Member may ask; access is decided per item (AccessMatrixConfigTests).
        R("POST /api/config/plan", HttpMethod.Post, _ => "/api/config/plan", Members(Ok),
            _ => new { datastores = new[] { new { name = "in-team-t", description = FeatureAccessWorld.Fresh("planned") } } }),
        R("POST /api/config/apply", HttpMethod.Post, _ => "/api/config/apply", Members(Ok),
            _ => new { datastores = new[] { new { name = "public-one" } } }),
    ];

    /// <summary>What each row asks about, e.g. <c>POST /api/export/anomalies (team T)</c>, for <see cref="AccessMatrixCoverageTests"/>.</summary>
    internal static IEnumerable<string> Endpoints => Rows.Select(r => r.Endpoint);

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task EveryFeatureEndpointAnswersEachKindOfCallerAsTheAccessRulesSay(StoreKind kind)
    {
        await using var world = await FeatureAccessWorld.StartAsync(kind);
        var mismatches = new StringBuilder();
        foreach (var row in Rows)
        {
            foreach (var caller in Enum.GetValues<FeatureCaller>())
            {
                var (method, path, body) = await row.Request(world);
                MatrixAnswers.Check(mismatches, $"{row.Endpoint} as {caller}", row.Expected[(int)caller],
                    await SendAsync(world.Callers[caller].Client, method, path, body));
            }
        }
        Assert.True(mismatches.Length == 0, "\n" + mismatches);
    }

    /// <summary>Lists answer 200 to every Member, so what they hold is the rule: nothing of a datastore outside the caller's teams.</summary>
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ListsShowAMemberNothingOfADatastoreOutsideItsTeams(StoreKind kind)
    {
        await using var world = await FeatureAccessWorld.StartAsync(kind);
        var outsider = world.Callers[FeatureCaller.MemberInNoTeam].Client;
        var viewer = world.Callers[FeatureCaller.MemberViewer].Client;
        string[] lists =
        [
            "/api/containers", $"/api/containers?datastore={world.PublicDatastore}", "/api/operations", $"/api/operations?datastore={world.Datastore}",
            "/api/quality-checks", $"/api/quality-checks?datastore={world.Datastore}", "/api/computed-fields", $"/api/computed-fields?datastore={world.Datastore}",
            "/api/computed-containers", $"/api/computed-containers?datastore={world.Datastore}",
            "/api/anomalies", $"/api/anomalies?datastore={world.Datastore}", "/api/check-results", $"/api/check-results?datastore={world.Datastore}",
            "/api/container-scans", $"/api/container-scans?datastore={world.Datastore}",
        ];
        foreach (var list in lists)
        {
            var seen = await outsider.ReadAsync(list);
            var leaked = seen.GetProperty("items").EnumerateArray().Where(item => BelongsToTeamT(world, item)).ToList();
            Assert.True(leaked.Count == 0, $"{list} shows a Member in no team: {string.Join(", ", leaked)}");
        }
        foreach (var list in lists.Where(l => !l.Contains($"datastore={world.PublicDatastore}")))
            Assert.Contains((await viewer.ReadAsync(list)).GetProperty("items").EnumerateArray(), item => BelongsToTeamT(world, item));
    }

    /// <summary>Like <see cref="ApiCalls.SendAsync"/>, but the web UI's rows answer HTML and JavaScript, not JSON.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body, string ContentType)> SendAsync(HttpClient client, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: QuarryTestServer.Json);
        using var response = await client.SendAsync(request);
        var contentType = response.Content.Headers.ContentType?.MediaType ?? "";
        var text = await response.Content.ReadAsStringAsync();
        var json = contentType.EndsWith("json", StringComparison.Ordinal) && text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (response.StatusCode, json, contentType);
    }

    private static bool BelongsToTeamT(FeatureAccessWorld world, JsonElement item) =>
        (item.TryGetProperty("datastore_id", out var datastore) && datastore.GetInt32() == world.Datastore)
        || (item.TryGetProperty("container_id", out var container) && container.GetInt32() == world.Orders);
}
