using Quarry.Server.Operations.Profile;

namespace Quarry.Tests.Enrichment;

/// <summary>
/// Exports as Qualytics clients ask for them (<c>POST /api/export/…?datastore=</c>, <c>type: export</c>): a datastore's
/// anomalies, checks and field profiles written into its enrichment datastore's <c>&lt;prefix&gt;_export_*</c> tables,
/// read back from the real enrichment database.
/// </summary>
public sealed class ExportTests
{
    private const string Password = "export-Secret-Pw-9";

    public static TheoryData<EnrichmentKind, StoreKind> Targets => new()
    {
        { EnrichmentKind.Sqlite, StoreKind.Sqlite }, { EnrichmentKind.PostgreSql, StoreKind.PostgreSql }, { EnrichmentKind.MySql, StoreKind.Sqlite }, { EnrichmentKind.Files, StoreKind.Sqlite },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task AnExportWritesTheDatastoresAnomaliesChecksAndFieldProfilesAndReplacesTheLastOne(EnrichmentKind kind, StoreKind store)
    {
        await using var world = await EnrichmentWorld.StartAsync(kind, store);
        var admin = world.Server.Admin;
        var (shop, orders, checks) = await world.AddShopAsync(2);
        var scan = await world.RecordScanAsync(shop, checks, 100, new Dictionary<int, (long, string)> { [checks[0]] = (3, """[{"email": null}]""") });
        var anomaly = (await StoredScans.AnomaliesOfAsync(world.Server, scan))[checks[0]];
        await AddProfileAsync(world, scan, orders);
        // A second source writing under the same prefix: its export rows are its own.
        var (other, otherOrders) = await world.AddSourceAsync("other", "_shop", "orders", "email");
        var otherCheck = (await world.AddChecksAsync(otherOrders, "email", 1))[0];
        await SecretPasswordAsync(world, shop);

        var queued = await admin.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, $"/api/export/anomalies?datastore={shop}");
        Assert.Equal("export", queued.GetProperty("type").GetString());
        await FinishedAsync(world, queued.GetProperty("id").GetInt32());
        var anomalies = (await world.RowsAsync("_shop_export_anomalies"))!;
        var row = Assert.Single(anomalies);
        Assert.Equal((anomaly, "Active", "notNull", checks[0], orders, "orders", shop, "shop"),
            (Int(row["id"]), (string)row["status"]!, (string)row["rule_type"]!, Int(row["quality_check_id"]), Int(row["container_id"]), (string)row["source_container"]!,
             Int(row["datastore_id"]), (string)row["source_datastore"]!));
        Assert.Equal(3L, Convert.ToInt64(row["anomalous_records_count"]));
        Assert.Null(await world.RowsAsync("_shop_export_checks"));

        await FinishedAsync(world, (await admin.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, "/api/operations/run", new { type = "export", datastore_id = other })).GetProperty("id").GetInt32());
        var all = await admin.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, "/api/operations/run", new { type = "export", datastore_id = shop });
        var done = await FinishedAsync(world, all.GetProperty("id").GetInt32());
        Assert.Contains("1 anomalies, 2 checks, 1 field profiles", done.GetProperty("details").GetString());
        var exported = (await world.RowsAsync("_shop_export_checks", "datastore_id, id"))!;
        Assert.Equal([(checks[0], shop), (checks[1], shop), (otherCheck, other)], exported.Select(c => (Int(c["id"]), Int(c["datastore_id"]))));
        Assert.Equal(["email"], JsonSerializer.Deserialize<string[]>((string)exported[0]["fields"]!)!);
        Assert.Equal(("Active", 1.0), ((string)exported[0]["status"]!, Convert.ToDouble(exported[0]["coverage"])));
        var profile = Assert.Single((await world.RowsAsync("_shop_export_field_profiles"))!);
        Assert.Equal(("email", "text", 100L, 7L, "a@example.com"),
            ((string)profile["field_name"]!, (string)profile["inferred_type"]!, Convert.ToInt64(profile["record_count"]), Convert.ToInt64(profile["null_count"]), (string)profile["min_value"]!));
        Assert.True(Convert.ToBoolean(profile["sampled"]));

        // Archiving a check takes it out of the next export (unless asked for), and leaves the other datastore's rows.
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/quality-checks/{checks[1]}?archive=true");
        await FinishedAsync(world, (await admin.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, $"/api/export/checks?datastore={shop}&containers={orders}")).GetProperty("id").GetInt32());
        Assert.Equal([(checks[0], shop), (otherCheck, other)], (await world.RowsAsync("_shop_export_checks", "datastore_id, id"))!.Select(c => (Int(c["id"]), Int(c["datastore_id"]))));
        await FinishedAsync(world, (await admin.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, $"/api/export/checks?datastore={shop}&include_deleted=true")).GetProperty("id").GetInt32());
        Assert.Equal(["Active", "Archived"], (await world.RowsAsync("_shop_export_checks", "datastore_id, id"))!.Take(2).Select(c => (string)c["status"]!));

        foreach (var table in new[] { "_shop_export_anomalies", "_shop_export_checks", "_shop_export_field_profiles" })
            Assert.DoesNotContain((await world.RowsAsync(table))!.SelectMany(r => r.Values), v => v?.ToString()?.Contains(Password) == true);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task CheckTemplatesGoToTheEnrichmentDatastoreNamed(EnrichmentKind kind, StoreKind store)
    {
        await using var world = await EnrichmentWorld.StartAsync(kind, store);
        var admin = world.Server.Admin;
        var first = await admin.CreateIdAsync("/api/quality-check-templates", new { rule = "notNull", fields = new[] { "id" }, tags = new[] { "core" } });
        var second = await admin.CreateIdAsync("/api/quality-check-templates", new { rule = "between", fields = new[] { "amount" }, properties = new { min = 0, max = 10 } });

        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/export/check-templates?enrich_datastore_id={world.Target.DatastoreId}");
        Assert.Equal([first, second], (await world.RowsAsync("_results_export_check_templates", "id"))!.Select(r => Int(r["id"])));
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/export/check-templates?enrich_datastore_id={world.Target.DatastoreId}&template_ids={second}");
        var only = Assert.Single((await world.RowsAsync("_results_export_check_templates"))!);
        Assert.Equal(("between", 10), ((string)only["rule_type"]!, JsonDocument.Parse((string)only["properties"]!).RootElement.GetProperty("max").GetInt32()));

        var missing = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"/api/export/check-templates?enrich_datastore_id={world.Target.DatastoreId}&template_ids=999999");
        Assert.Contains("999999", missing.GetProperty("detail").GetString());
        Assert.Single((await world.RowsAsync("_results_export_check_templates"))!);
    }

    [Fact]
    public async Task ADatastoreWithoutAnEnrichmentDatastoreIsToldToLinkOne()
    {
        await using var world = await EnrichmentWorld.StartAsync(EnrichmentKind.Sqlite);
        var admin = world.Server.Admin;
        var (shop, _, _) = await world.AddShopAsync(1);
        await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/api/datastores/{shop}/enrichment");

        foreach (var (path, body) in new (string, object?)[]
                 {
                     ($"/api/export/anomalies?datastore={shop}", null), ($"/api/export/field-profiles?datastore={shop}", null),
                     ("/api/operations/run", new { type = "export", datastore_id = shop }), ("/api/operations/run", new { type = "materialize", datastore_id = shop }),
                 })
        {
            var problem = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, path, body);
            Assert.Contains("has no enrichment datastore", problem.GetProperty("detail").GetString());
            Assert.Contains($"/api/datastores/{shop}/enrichment/", problem.GetProperty("detail").GetString());
        }
        Assert.Equal(0, (await admin.ReadAsync($"/api/operations?datastore={shop}")).GetProperty("total").GetInt32());

        var noDatastore = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/export/checks");
        Assert.Contains("'datastore'", noDatastore.GetProperty("detail").GetString());
        var badAsset = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/operations/run", new { type = "export", datastore_id = shop, asset_type = "everything" });
        Assert.Contains("asset_type", badAsset.GetProperty("detail").GetString());
        var tags = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/operations/run", new { type = "export", datastore_id = shop, container_tags = new[] { "gold" } });
        Assert.Contains("container_tags", tags.GetProperty("detail").GetString());
    }

    private static async Task<JsonElement> FinishedAsync(EnrichmentWorld world, int operation)
    {
        var done = await SyncApi.WaitAsync(world.Server.Admin, operation);
        Assert.True(done.Result == OperationResult.Success, done.Message);
        return await world.Server.Admin.ReadAsync($"/api/operations/{operation}");
    }

    /// <summary>A field profile of <c>email</c>, as a profile records it.</summary>
    private static Task AddProfileAsync(EnrichmentWorld world, int operation, int container) =>
        world.WithStoreAsync(async db =>
        {
            var field = await db.Fields.SingleAsync(f => f.ContainerId == container && f.Name == "email");
            var datastore = await db.Containers.Where(c => c.Id == container).Select(c => c.DatastoreId).SingleAsync();
            db.FieldProfiles.Add(new FieldProfile
            {
                OperationId = operation, DatastoreId = datastore, ContainerId = container, FieldId = field.Id, FieldName = "email", DeclaredType = "text",
                InferredType = "text", Sampled = true, RecordCount = 100, NullCount = 7, DistinctCount = 90, MinValue = "a@example.com", MaxValue = "z@example.com",
                TopValuesJson = """[{"value":"a@example.com","count":3}]""", CreatedAt = DateTime.UtcNow,
            });
            return await db.SaveChangesAsync();
        });

    /// <summary>The source connection gets a password that an export must never carry.</summary>
    private static async Task SecretPasswordAsync(EnrichmentWorld world, int datastore)
    {
        var connection = (await world.Server.Admin.ReadAsync($"/api/datastores/{datastore}")).GetProperty("connection").GetProperty("id").GetInt32();
        await world.Server.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/connections/{connection}", new { password = Password });
    }

    private static int Int(object? value) => Convert.ToInt32(value);
}
