namespace Quarry.Tests.Web;

/// <summary>The datastores page says which catalogs were read from a source the datastore no longer points at.</summary>
public sealed class NeedsSyncBrowserTests
{
    [Fact]
    public async Task TheDatastoresPageMarksADatastoreMovedToAnotherSchemaAsNeedingSync()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var connectionId = (await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/connections",
            new { name = "warehouse", type = "postgresql", host = "db.example.com", username = "reader", database = "sales" })).GetProperty("id").GetInt32();
        var moved = (await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/datastores",
            new { name = "orders", connection_id = connectionId, schema = "orders" })).GetProperty("id").GetInt32();
        await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/datastores", new { name = "ledger", connection_id = connectionId, schema = "ledger" });
        await server.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/datastores/{moved}", new { schema = "orders_v2" });

        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        await page.SignInAsync(server.Url, server.AdminToken);
        await page.WaitForSelectorAsync("[data-testid=datastores] tr[data-name='orders'] .needs-sync");
        Assert.Equal("needs sync", (await page.Locator("tr[data-name='orders'] .needs-sync").InnerTextAsync()).Trim());
        Assert.Equal(0, await page.Locator("tr[data-name='ledger'] .needs-sync").CountAsync());
        await browser.ScreenshotAsync("datastores-needs-sync");
    }
}
