using static Quarry.Tests.Quality.QualityWorld;

namespace Quarry.Tests.FullConfig;

/// <summary>`quarry config export` writes Active checks; `--include-inactive-checks` adds drafts and archived ones.</summary>
public sealed class ExportInactiveChecksTests
{
    [Fact]
    public async Task DraftAndArchivedChecksAreExportedOnlyWhenAsked()
    {
        await using var world = await FullConfigWorld.StartAsync(StoreKind.Sqlite);
        var admin = world.Server.Admin;
        var connection = await SyncApi.CreateConnectionAsync(admin, SourceDatabases.PostgresConnection("source", world.Source, password: FullConfigWorld.Password));
        var datastore = (await QuarryTestServer.PostJsonAsync<JsonElement>(admin, "/api/datastores", new { name = "sales", connection_id = connection, schema = "sales" }))
            .GetProperty("id").GetInt32();
        Assert.Equal("success", (await SyncApi.SyncAsync(admin, datastore)).Result);
        await admin.CreateIdAsync("/api/quality-checks", new { rule = "notNull", datastore_id = datastore, container_name = "customers", fields = new[] { "id" } });
        await admin.CreateIdAsync("/api/quality-checks", new { rule = "notNull", datastore_id = datastore, container_name = "customers", fields = new[] { "email" }, status = "Draft" });
        var archived = await admin.CreateIdAsync("/api/quality-checks", new { rule = "notNull", datastore_id = datastore, container_name = "customers", fields = new[] { "name" } });
        var (deleted, body, _) = await admin.SendAsync(HttpMethod.Delete, $"/api/quality-checks/{archived}?archive=true", null);
        Assert.True(deleted is HttpStatusCode.OK or HttpStatusCode.NoContent, body.ToString());

        await world.AssertExportsAsync("active");
        Assert.Equal(["datastores/sales/checks/customers/notNull__id.yaml"],
            FullConfigWorld.ReadTree(Path.Combine(world.Cli.WorkingDirectory, "active")).Keys.Where(k => k.Contains("/checks/")));

        await world.AssertExportsAsync("all", "--include-inactive-checks");
        Assert.Equal(
            ["datastores/sales/checks/customers/notNull__email.yaml", "datastores/sales/checks/customers/notNull__id.yaml", "datastores/sales/checks/customers/notNull__name.yaml"],
            FullConfigWorld.ReadTree(Path.Combine(world.Cli.WorkingDirectory, "all")).Keys.Where(k => k.Contains("/checks/")).Order(StringComparer.Ordinal));
    }
}
