using Pair = (string What, System.Net.Http.HttpMethod Method, string Hidden, string Absent, object? HiddenBody, object? AbsentBody);

namespace Quarry.Tests.Access;

/// <summary>
/// What a Member cannot see answers exactly as what does not exist: the same status and the same message, but for
/// the id or name asked about. Otherwise guessing ids or names outside one's teams would tell which exist.
/// </summary>
public sealed class AccessMatrixOracleTests(FeatureAccessWorldPerStore worlds) : IClassFixture<FeatureAccessWorldPerStore>
{
    private const int Missing = 999_999;

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AMemberOutsideADatastoresTeamsCannotTellItsContainersAndChecksFromOnesThatDoNotExist(StoreKind kind)
    {
        var world = await worlds.For(kind);
        var outsider = world.Callers[FeatureCaller.MemberInNoTeam].Client;
        var d = world.Datastore;
        // Each pair: a request about something of team T's datastore, and the same request about something that does not exist.
        var pairs = new Pair[]
        {
            ("check on a container by id", HttpMethod.Post, "/api/quality-checks", "/api/quality-checks",
                new { rule = "notNull", container_id = world.Orders, fields = new[] { "amount" } }, new { rule = "notNull", container_id = Missing, fields = new[] { "amount" } }),
            ("check on a table that exists vs one that does not", HttpMethod.Post, "/api/quality-checks", "/api/quality-checks",
                new { rule = "notNull", datastore_id = d, container_name = "orders", fields = new[] { "amount" } },
                new { rule = "notNull", datastore_id = d, container_name = "no_such_table", fields = new[] { "amount" } }),
            ("check on a datastore that exists vs one that does not", HttpMethod.Post, "/api/quality-checks", "/api/quality-checks",
                new { rule = "notNull", datastore_id = d, container_name = "orders", fields = new[] { "amount" } },
                new { rule = "notNull", datastore_id = Missing, container_name = "orders", fields = new[] { "amount" } }),
            ("computed field on a container by id", HttpMethod.Post, "/api/computed-fields", "/api/computed-fields",
                new { name = "c", container_id = world.Orders, transformation = "cleanedEntity", source_fields = new[] { "status" } },
                new { name = "c", container_id = Missing, transformation = "cleanedEntity", source_fields = new[] { "status" } }),
            ("computed field on a table by name", HttpMethod.Post, "/api/computed-fields", "/api/computed-fields",
                new { name = "c", datastore_id = d, container_name = "orders", transformation = "cleanedEntity", source_fields = new[] { "status" } },
                new { name = "c", datastore_id = d, container_name = "no_such_table", transformation = "cleanedEntity", source_fields = new[] { "status" } }),
            ("computed container", HttpMethod.Post, "/api/computed-containers", "/api/computed-containers",
                new { name = "t", datastore_id = d, container_type = "computed_table", query = "select 1" },
                new { name = "t", datastore_id = Missing, container_type = "computed_table", query = "select 1" }),
            ("read a check", HttpMethod.Get, $"/api/quality-checks/{world.Check}", $"/api/quality-checks/{Missing}", null, null),
            ("change a check", HttpMethod.Put, $"/api/quality-checks/{world.Check}", $"/api/quality-checks/{Missing}", new { description = "x" }, new { description = "x" }),
            ("delete a check", HttpMethod.Delete, $"/api/quality-checks/{world.Check}", $"/api/quality-checks/{Missing}", null, null),
            ("read a computed field", HttpMethod.Get, $"/api/computed-fields/{world.ComputedField}", $"/api/computed-fields/{Missing}", null, null),
            ("change a computed field", HttpMethod.Put, $"/api/computed-fields/{world.ComputedField}", $"/api/computed-fields/{Missing}", new { description = "x" }, new { description = "x" }),
            ("delete a computed field", HttpMethod.Delete, $"/api/computed-fields/{world.ComputedField}", $"/api/computed-fields/{Missing}", null, null),
            ("read a computed container", HttpMethod.Get, $"/api/computed-containers/{world.ComputedContainer}", $"/api/computed-containers/{Missing}", null, null),
            ("change a computed container", HttpMethod.Put, $"/api/computed-containers/{world.ComputedContainer}", $"/api/computed-containers/{Missing}", new { description = "x" }, new { description = "x" }),
            ("delete a computed container", HttpMethod.Delete, $"/api/computed-containers/{world.ComputedContainer}", $"/api/computed-containers/{Missing}", null, null),
        };

        await AssertAnsweredAlikeAsync(outsider, pairs, problem => Normalized(problem, world),
            (hiddenStatus, absentStatus) => hiddenStatus == absentStatus && (int)hiddenStatus >= 400);
        // The checks, fields and containers asked about are all still there.
        var admin = world.Server.Admin;
        await admin.ReadAsync($"/api/quality-checks/{world.Check}");
        await admin.ReadAsync($"/api/computed-fields/{world.ComputedField}");
        await admin.ReadAsync($"/api/computed-containers/{world.ComputedContainer}");
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AMemberOutsideADatastoresTeamsCannotTellItOrItsOperationsContainersAndFieldsFromOnesThatDoNotExist(StoreKind kind)
    {
        var world = await worlds.For(kind);
        var outsider = world.Callers[FeatureCaller.MemberInNoTeam].Client;
        var d = world.Datastore;
        var enrichment = await world.EnrichmentAsync();
        var pairs = new Pair[]
        {
            ("read a datastore", HttpMethod.Get, $"/api/datastores/{d}", $"/api/datastores/{Missing}", null, null),
            ("update a datastore", HttpMethod.Put, $"/api/datastores/{d}", $"/api/datastores/{Missing}", new { description = "x" }, new { description = "x" }),
            ("move a datastore", HttpMethod.Put, $"/api/datastores/{d}", $"/api/datastores/{Missing}", new { schema = "temp" }, new { schema = "temp" }),
            ("verify a datastore", HttpMethod.Post, $"/api/datastores/{d}/connection", $"/api/datastores/{Missing}/connection", null, null),
            ("link an enrichment datastore", HttpMethod.Patch, $"/api/datastores/{d}/enrichment/{enrichment}", $"/api/datastores/{Missing}/enrichment/{enrichment}", null, null),
            ("unlink the enrichment datastore", HttpMethod.Delete, $"/api/datastores/{d}/enrichment", $"/api/datastores/{Missing}/enrichment", null, null),
            ("list a datastore's containers", HttpMethod.Get, $"/api/containers?datastore={d}", $"/api/containers?datastore={Missing}", null, null),
            ("list a datastore's containers, unpaged", HttpMethod.Get, $"/api/containers/listing?datastore={d}", $"/api/containers/listing?datastore={Missing}", null, null),
            ("read a container", HttpMethod.Get, $"/api/containers/{world.Orders}", $"/api/containers/{Missing}", null, null),
            ("read a container's fields", HttpMethod.Get, $"/api/containers/{world.Orders}/fields", $"/api/containers/{Missing}/fields", null, null),
            ("read a container's field profiles", HttpMethod.Get, $"/api/containers/{world.Orders}/field-profiles", $"/api/containers/{Missing}/field-profiles", null, null),
            ("read a field's profiles", HttpMethod.Get, $"/api/fields/{world.OrdersAmount}/profiles", $"/api/fields/{Missing}/profiles", null, null),
            ("read an operation", HttpMethod.Get, $"/api/operations/{world.FinishedOperation}", $"/api/operations/{Missing}", null, null),
            ("abort an operation", HttpMethod.Put, $"/api/operations/abort/{world.FinishedOperation}", $"/api/operations/abort/{Missing}", null, null),
            ("run a sync", HttpMethod.Post, "/api/operations/run", "/api/operations/run", new { type = "sync", datastore_id = d }, new { type = "sync", datastore_id = Missing }),
            ("run a scan", HttpMethod.Post, "/api/operations/run", "/api/operations/run", new { type = "scan", datastore_ids = new[] { d } }, new { type = "scan", datastore_ids = new[] { Missing } }),
            ("run an export", HttpMethod.Post, "/api/operations/run", "/api/operations/run", new { type = "export", datastore_id = d }, new { type = "export", datastore_id = Missing }),
            ("export anomalies", HttpMethod.Post, $"/api/export/anomalies?datastore={d}", $"/api/export/anomalies?datastore={Missing}", null, null),
            ("export check templates", HttpMethod.Post, $"/api/export/check-templates?enrich_datastore_id={enrichment}", $"/api/export/check-templates?enrich_datastore_id={Missing}", null, null),
        };

        await AssertAnsweredAlikeAsync(outsider, pairs, problem => Normalized(problem, world, world.OrdersAmount, world.FinishedOperation, enrichment),
            (hiddenStatus, absentStatus) => hiddenStatus == HttpStatusCode.NotFound && absentStatus == HttpStatusCode.NotFound);
        // Nothing asked about changed: the datastore keeps its schema and enrichment link, and nothing was queued for it.
        var admin = world.Server.Admin;
        var datastore = await admin.ReadAsync($"/api/datastores/{d}");
        Assert.Equal("main", datastore.GetProperty("schema").GetString());
        Assert.Equal(enrichment, datastore.GetProperty("enrichment_datastore_id").GetInt32());
        Assert.DoesNotContain((await admin.ReadAsync($"/api/operations?datastore={d}&finished=false")).GetProperty("items").EnumerateArray(),
            o => o.GetProperty("type").GetString() is "sync" or "scan" or "export");
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ConfigPlanAnswersAMemberAboutADatastoreOutsideItsTeamsAsAboutOneThatDoesNotExist(StoreKind kind)
    {
        var world = await worlds.For(kind);
        var outsider = world.Callers[FeatureCaller.MemberInNoTeam].Client;

        string Plan(string name) => JsonSerializer.Serialize(new
        {
            datastores = new object[] { new { name, description = "probe" }, new { name = "mine", connection = "source", enrichment_datastore = name } },
            checks = new[] { new { datastore = name, container = "orders", rule = "notNull", fields = new[] { "status" } } },
            computed_fields = new[] { new { datastore = name, container = "orders", name = "c", transformation = "cleanedEntity", source_fields = new[] { "status" } } },
        }, QuarryTestServer.Json);

        var hidden = await outsider.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/plan", Plan("in-team-t"));
        var absent = await outsider.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/plan", Plan("never-created"));
        Assert.Equal(absent.GetProperty("items").GetRawText().Replace("never-created", "NAME"), hidden.GetProperty("items").GetRawText().Replace("in-team-t", "NAME"));
        Assert.DoesNotContain("not in a team", hidden.GetRawText());

        // Quality files alone (the datastore not in the config) answer alike too.
        var checksOnly = (string name) => new { checks = new[] { new { datastore = name, container = "orders", rule = "notNull", fields = new[] { "status" } } } };
        var hiddenChecks = await outsider.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/plan", checksOnly("in-team-t"));
        var absentChecks = await outsider.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/plan", checksOnly("never-created"));
        Assert.Equal(absentChecks.GetProperty("items").GetRawText().Replace("never-created", "NAME"), hiddenChecks.GetProperty("items").GetRawText().Replace("in-team-t", "NAME"));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AnEditorCannotTellAnEnrichmentDatastoreOutsideItsTeamsFromOneThatDoesNotExist(StoreKind kind)
    {
        var world = await worlds.For(kind);
        var admin = world.Server.Admin;
        await admin.CreateIdAsync("/api/teams", new { name = "U" });
        var hidden = await admin.CreateIdAsync("/api/datastores", new { name = "results-u", connection_id = world.Connection, schema = "main", enrichment_only = true, teams = new[] { "U" } });
        var editor = world.Callers[FeatureCaller.MemberEditor].Client;

        var mismatches = new StringBuilder();
        foreach (var (method, path, body) in new (HttpMethod, Func<int, string>, Func<int, object?>)[]
                 {
                     (HttpMethod.Patch, id => $"/api/datastores/{world.Datastore}/enrichment/{id}", _ => null),
                     (HttpMethod.Put, _ => $"/api/datastores/{world.Datastore}", id => new { enrichment_datastore_id = id }),
                 })
        {
            var (hiddenStatus, hiddenProblem, _) = await editor.SendAsync(method, path(hidden), body(hidden));
            var (absentStatus, absentProblem, _) = await editor.SendAsync(method, path(Missing), body(Missing));
            var seen = hiddenProblem.GetProperty("detail").GetString()!.Replace($"{hidden}", "#");
            var missing = absentProblem.GetProperty("detail").GetString()!.Replace($"{Missing}", "#");
            if (hiddenStatus != absentStatus || seen != missing || (int)hiddenStatus < 400)
                mismatches.AppendLine($"{method} {path(0)}: {(int)hiddenStatus} {seen}\n   vs {(int)absentStatus} {missing}");
        }
        Assert.True(mismatches.Length == 0, "\n" + mismatches);
        Assert.Equal(JsonValueKind.Null, (await admin.ReadAsync($"/api/datastores/{world.Datastore}")).GetProperty("enrichment_datastore_id").ValueKind);
    }

    /// <summary>A problem's status and detail with the ids and names asked about replaced, so that only the shape is compared.</summary>
    /// <summary>
    /// Sends both requests of each pair as <paramref name="outsider"/>, and asserts that each pair's two answers have statuses
    /// <paramref name="expected"/> accepts and the same problem once <paramref name="normalized"/>; a failure lists every pair that differs.
    /// </summary>
    private static async Task AssertAnsweredAlikeAsync(HttpClient outsider, IEnumerable<Pair> pairs, Func<JsonElement, string> normalized,
        Func<HttpStatusCode, HttpStatusCode, bool> expected)
    {
        var mismatches = new StringBuilder();
        foreach (var (what, method, hidden, absent, hiddenBody, absentBody) in pairs)
        {
            var (hiddenStatus, hiddenProblem, _) = await outsider.SendAsync(method, hidden, hiddenBody);
            var (absentStatus, absentProblem, _) = await outsider.SendAsync(method, absent, absentBody);
            var seen = normalized(hiddenProblem);
            var missing = normalized(absentProblem);
            if (!expected(hiddenStatus, absentStatus) || seen != missing)
                mismatches.AppendLine($"{what}: {(int)hiddenStatus} {seen}\n   vs {(int)absentStatus} {missing}");
        }
        Assert.True(mismatches.Length == 0, "\n" + mismatches);
    }

    private static string Normalized(JsonElement problem, FeatureAccessWorld world, params int[] more)
    {
        if (problem.ValueKind != JsonValueKind.Object || !problem.TryGetProperty("detail", out var detail)) return problem.ToString();
        var text = detail.GetString() ?? "";
        foreach (var id in new[] { Missing, world.Orders, world.Check, world.ComputedField, world.ComputedContainer, world.Datastore }.Concat(more).OrderByDescending(i => i.ToString().Length))
            text = System.Text.RegularExpressions.Regex.Replace(text, $@"\b{id}\b", "#");
        return text.Replace("no_such_table", "NAME").Replace("'orders'", "'NAME'");
    }
}
