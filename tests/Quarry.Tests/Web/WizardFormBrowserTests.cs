using System.Globalization;
using Microsoft.Playwright;

namespace Quarry.Tests.Web;

/// <summary>The wizard's form in real Chromium against a real server, with a real SQLite file as the source.</summary>
public sealed class WizardFormBrowserTests
{
    private static async Task<(QuarryTestServer Server, string Token, int ConnectionId)> StartAsync()
    {
        var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var path = Path.Combine(server.DataDirectory, "lake.db");
        await using (var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            await sqlite.OpenAsync();
            await using var command = sqlite.CreateCommand();
            command.CommandText = "CREATE TABLE orders (id INTEGER)";
            await command.ExecuteNonQueryAsync();
        }
        var token = await server.AddManagerAndTeamAsync();
        var connectionId = (await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/connections", new { name = "lake", type = "sqlite", path }))
            .GetProperty("id").GetInt32();
        return (server, token, connectionId);
    }

    private static async Task OpenWizardAsync(IPage page, QuarryTestServer server, string token)
    {
        await page.OpenWizardAsync(server.Url, token);
        await page.WaitForSelectorAsync("[data-testid=template]");
    }

    /// <summary>Sets a control's value and sends only a <c>change</c> event, as pickers and autofill do.</summary>
    private static Task ChangeAsync(IPage page, string selector, string value) =>
        page.EvalOnSelectorAsync(selector, "(e, v) => { e.value = v; e.dispatchEvent(new Event('change', { bubbles: true })); }", value);

    private static Task<string?> StillNeededAsync(IPage page) => page.TextContentAsync("#next-hint");

    [Fact]
    public async Task TheFooterListsOnlyWhatIsStillNeededWhicheverEventTheFieldsSend()
    {
        var (server, token, connectionId) = await StartAsync();
        await using var _ = server;
        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        await OpenWizardAsync(page, server, token);
        Assert.Equal("Still needed: a connection, schemas, at least one team", await StillNeededAsync(page));

        await ChangeAsync(page, "#connection", connectionId.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("Still needed: schemas, at least one team", await StillNeededAsync(page));

        await page.ClickAsync("[data-testid=schemas]:not([disabled])");
        await page.ClickAsync(".ms-option[data-schema='main']");
        await page.ClickAsync("h1");
        await ChangeAsync(page, "[data-testid=template]", "lake");
        Assert.Equal("Still needed: a valid name template, at least one team", await StillNeededAsync(page));
        await ChangeAsync(page, "[data-testid=template]", "lake_{{ schema }}");
        Assert.Contains("lake_main", await page.TextContentAsync("[data-testid=preview]"));
        await page.ClickAsync("[data-team='Analytics']");

        Assert.Equal("", await StillNeededAsync(page));
        Assert.True(await page.IsEnabledAsync("[data-testid=next]"));
        await page.AssertAccessibleAsync("wizard's step 1 for a SQLite connection");

        // A new connection's name counts as soon as it is typed.
        await page.ClickAsync("[data-mode=new]");
        Assert.Contains("a connection name", await StillNeededAsync(page));
        await page.FillAsync("[data-c=name]", "lake-2");
        Assert.DoesNotContain("a connection name", await StillNeededAsync(page));
        await page.AssertAccessibleAsync("wizard's new connection form");
    }

    [Fact]
    public async Task TestConnectionShowsATakenNameAndEveryDatastoreAlreadyReadingTheSchema()
    {
        var (server, token, connectionId) = await StartAsync();
        await using var _ = server;
        var path = Path.Combine(server.DataDirectory, "lake.db");
        // An enrichment datastore on the schema, and a datastore reading the same file through another connection.
        await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/datastores", new { name = "lake_main", connection_id = connectionId, schema = "main", enrichment_only = true });
        var copyId = (await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/connections", new { name = "lake-copy", type = "sqlite", path }))
            .GetProperty("id").GetInt32();
        await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/datastores", new { name = "copy_main", connection_id = copyId, schema = "main" });

        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        await OpenWizardAsync(page, server, token);
        await page.SelectOptionAsync("#connection", connectionId.ToString(CultureInfo.InvariantCulture));
        await page.ClickAsync("[data-testid=schemas]:not([disabled])");
        await page.ClickAsync(".ms-option[data-schema='main']");
        Assert.Equal("Existing datastores: lake_main (enrichment), copy_main via lake-copy",
            await page.GetAttributeAsync(".ms-option[data-schema='main'] [data-testid=existing-warning]", "aria-label"));
        await page.AssertAccessibleAsync("wizard's schema list with existing datastores");
        await page.ClickAsync("h1");
        Assert.Contains("lake_main (enrichment), copy_main via lake-copy", await page.TextContentAsync("#dup-warning"));
        await page.FillAsync("[data-testid=template]", "lake_{{ schema }}");
        await page.ClickAsync("[data-team='Analytics']");

        await page.ClickAsync("[data-testid=test]");
        await page.WaitForSelectorAsync("[data-testid=validation]");

        var row = await page.TextContentAsync("[data-testid=validation] tr[data-schema='main']");
        Assert.Contains("error", row);
        Assert.Contains("a datastore named 'lake_main' already exists", row);
        await page.AssertAccessibleAsync("wizard's failed validation");
    }

    [Fact]
    public async Task TheApiDocsPageShowsHowToSendTheToken()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;

        await page.GotoAsync(server.Url + "/api/docs/index.html");
        await page.WaitForSelectorAsync(".info .description");

        Assert.Contains("Authorization: Bearer <token>", await page.TextContentAsync(".info .description"));
    }
}
