using Microsoft.Playwright;
using Quarry.Tests.MultiSchema;

namespace Quarry.Tests.Web;

/// <summary>The UI acts with the signed-in user's token: the API's rules decide what it shows and does.</summary>
public sealed class WebUiAccessTests
{
    [Fact]
    public async Task AWrongTokenIsRefusedAndAMemberSeesOnlyTheirTeamsDatastoresAndCannotAddAny()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var (memberId, memberToken) = await server.CreateUserAsync("Mo Member", Role.Member);
        var team = await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/teams", new { name = "Analytics" });
        await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/teams", new { name = "Finance" });
        await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, $"/api/teams/{team.GetProperty("id").GetInt32()}/members", new { user_id = memberId, permission = "Viewer" });
        var connectionId = (await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/connections",
            new { name = "warehouse", type = "postgresql", host = "db.example.com", username = "reader", database = "sales" })).GetProperty("id").GetInt32();
        await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/datastores",
            new { name = "analytics_orders", connection_id = connectionId, schema = "orders", teams = new[] { "Analytics" } });
        await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/datastores",
            new { name = "finance_ledger", connection_id = connectionId, schema = "ledger", teams = new[] { "Finance" } });

        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        await page.SignInAsync(server.Url, "qry_not-a-real-token");
        await page.WaitForSelectorAsync(".banner.err");
        await browser.ScreenshotAsync("access-1-wrong-token");
        await page.AssertAccessibleAsync("sign-in page with its error");

        await page.FillAsync("#token", memberToken);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("[data-testid=datastores] tr[data-name='analytics_orders']");
        Assert.Equal(0, await page.Locator("tr[data-name='finance_ledger']").CountAsync());
        await browser.ScreenshotAsync("access-2-member-datastores");
        await page.AssertAccessibleAsync("member's datastores page");

        await page.ClickAsync("[data-testid=nav-wizard]");
        await page.WaitForSelectorAsync("text=Creating datastores needs the Manager role");
        await page.AssertAccessibleAsync("wizard as shown to a member");
    }

    [Fact]
    public async Task OnAPhoneEveryPageFitsTheScreenWidthAndTheNavigationStaysReachable()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var connectionId = (await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/connections",
            new { name = "warehouse-with-a-rather-long-name", type = "postgresql", host = "db.example.com", username = "reader", database = "sales" })).GetProperty("id").GetInt32();
        foreach (var schema in new[] { "orders", "customers" })
            await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/datastores", new { name = $"analytics_{schema}", connection_id = connectionId, schema });

        await using var browser = await Browser.LaunchAsync(new ViewportSize { Width = 390, Height = 844 });
        var page = browser.Page;
        await page.GotoAsync(server.Url);
        await AssertFitsAsync(page, "sign-in");
        await page.FillAsync("#token", server.AdminToken);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("[data-testid=datastores] tr[data-name='analytics_orders']");
        await AssertFitsAsync(page, "datastores");
        await page.ClickAsync("a[href='#/connections']");
        await page.WaitForSelectorAsync("text=warehouse-with-a-rather-long-name");
        await AssertFitsAsync(page, "connections");
        await page.ClickAsync("[data-testid=nav-wizard]");
        await page.WaitForSelectorAsync("[data-testid=template]", new() { State = WaitForSelectorState.Attached });
        await AssertFitsAsync(page, "wizard");
        await browser.ScreenshotAsync("phone-wizard");

        // A wide table scrolls inside its card; the page itself never scrolls sideways.
        static async Task AssertFitsAsync(IPage page, string what)
        {
            var (content, window) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
            Assert.True(content <= window, $"The {what} page is {content}px wide on a {window}px screen.");
        }
    }

    [Fact]
    public async Task TheWizardCreatesANewConnectionTogetherWithItsDatastores()
    {
        await using var source = await DiscoverySource.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var token = await server.AddManagerAndTeamAsync();

        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        await page.OpenWizardAsync(server.Url, token);

        // No connection exists yet, so the wizard opens on "New connection".
        await page.FillAsync("[data-c=name]", "lake");
        await page.FillAsync("[data-c=host]", source.Host);
        await page.FillAsync("[data-c=port]", source.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("[data-c=database]", source.Sales);
        await page.FillAsync("[data-c=username]", source.Role);
        await page.FillAsync("[data-c=password]", source.Password);
        await page.ClickAsync("#discover");
        await page.WaitForSelectorAsync($"#catalog option[value='{source.Archive}']", new() { State = WaitForSelectorState.Attached });
        await page.SelectOptionAsync("#catalog", source.Sales);
        await page.WaitForSelectorAsync("[data-testid=schemas]:not([disabled])");
        await page.ClickAsync("[data-testid=schemas]");
        await page.ClickAsync(".ms-option[data-schema='sales_us']");
        await page.ClickAsync("h1");
        await page.FillAsync("[data-testid=template]", "lake_{{schema}}");
        await page.ClickAsync("[data-team='Analytics']");
        await page.ClickAsync("#sync");
        await page.ClickAsync("[data-testid=test]");
        await page.WaitForSelectorAsync("text=All 1 schema(s) passed.");
        await browser.ScreenshotAsync("new-1-connection");
        await page.AssertAccessibleAsync("wizard's new connection form");
        await page.ClickAsync("[data-testid=next]");
        await page.ClickAsync("[data-testid=create]");
        await page.WaitForSelectorAsync("[data-testid=created]");
        await browser.ScreenshotAsync("new-2-summary");

        var connection = Assert.Single((await QuarryTestServer.GetJsonAsync<JsonElement>(server.Admin, "/api/connections?name=lake")).GetProperty("items").EnumerateArray());
        Assert.True(connection.GetProperty("password_set").GetBoolean());
        var datastore = Assert.Single((await QuarryTestServer.GetJsonAsync<JsonElement>(server.Admin, "/api/datastores?name=lake_sales_us")).GetProperty("items").EnumerateArray());
        Assert.Equal(source.Sales, datastore.GetProperty("database").GetString());
        Assert.Equal("Analytics", Assert.Single(datastore.GetProperty("teams").EnumerateArray()).GetProperty("name").GetString());
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains(source.Password, StringComparison.Ordinal));
    }
}
