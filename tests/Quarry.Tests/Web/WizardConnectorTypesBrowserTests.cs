using Microsoft.Playwright;
using System.Globalization;

namespace Quarry.Tests.Web;

/// <summary>The wizard's connection form is built from GET /api/connector-types: a MySQL connection, end to end in Chromium.</summary>
public sealed class WizardConnectorTypesBrowserTests
{
    [Fact]
    public async Task TheWizardAsksForWhatAMySqlConnectionReadsAndOnboardsItsSchemas()
    {
        await using var source = await MariaDbSource.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var token = await server.AddManagerAndTeamAsync();

        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        await page.OpenWizardAsync(server.Url, token);

        // Every registered connector is offered by its display name, once the page has read them from the server.
        await page.Locator("#type option").Nth(3).WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Equal(["Files (CSV, Parquet, JSON lines)", "MySQL / MariaDB", "PostgreSQL", "SQLite"],
            (await page.Locator("#type option").AllTextContentsAsync()).Order(StringComparer.Ordinal));
        await page.SelectOptionAsync("#type", "mysql");
        Assert.Equal("3306", await page.InputValueAsync("[data-c=port]"));
        Assert.Equal(0, await page.Locator("[data-c=database]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-c=path]").CountAsync());
        Assert.Contains("databases are its schemas", await page.TextContentAsync("#catalog-row"));

        await page.FillAsync("[data-c=name]", "shop");
        await page.FillAsync("[data-c=host]", TestMariaDb.Builder.Server);
        await page.FillAsync("[data-c=port]", TestMariaDb.Builder.Port.ToString(CultureInfo.InvariantCulture));
        await page.FillAsync("[data-c=username]", source.User);
        await page.FillAsync("[data-c=password]", source.Password);
        await page.ClickAsync("#discover");
        await page.ClickAsync("[data-testid=schemas]:not([disabled])");
        await page.ClickAsync($".ms-option[data-schema='{source.Sales}']");
        await page.ClickAsync("h1");
        await page.FillAsync("[data-testid=template]", "shop_{{ schema }}");
        await page.ClickAsync("[data-team='Analytics']");
        await page.ClickAsync("[data-testid=test]");
        await page.WaitForSelectorAsync("text=All 1 schema(s) passed.");
        await browser.ScreenshotAsync("mysql-new-connection");
        await page.AssertAccessibleAsync("wizard's MySQL connection form");
        await page.ClickAsync("[data-testid=next]");
        await page.ClickAsync("[data-testid=create]");
        await page.WaitForSelectorAsync("[data-testid=created]");

        var datastore = Assert.Single((await QuarryTestServer.GetJsonAsync<JsonElement>(server.Admin, $"/api/datastores?name=shop_{source.Sales}")).GetProperty("items").EnumerateArray());
        Assert.Equal(source.Sales, datastore.GetProperty("schema").GetString());
        var connection = Assert.Single((await QuarryTestServer.GetJsonAsync<JsonElement>(server.Admin, "/api/connections?name=shop")).GetProperty("items").EnumerateArray());
        Assert.Equal("mysql", connection.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, connection.GetProperty("database").ValueKind);
        Assert.True(connection.GetProperty("password_set").GetBoolean());
        await SyncApi.SyncAsync(server.Admin, datastore.GetProperty("id").GetInt32());
        Assert.Contains(await SyncApi.ContainersAsync(server.Admin, datastore.GetProperty("id").GetInt32()), c => c.Name == "café");
    }
}
