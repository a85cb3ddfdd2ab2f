using Microsoft.Playwright;
using Quarry.Tests.MultiSchema;

namespace Quarry.Tests.Web;

/// <summary>The whole multi-schema wizard in real Chromium, against a real server on PostgreSQL and a real PostgreSQL source.</summary>
public sealed class WizardBrowserTests
{
    [Fact]
    public async Task AManagerOnboardsSchemasThroughTheWizardAndTheyAreCreatedLinkedAndSynced()
    {
        await using var source = await DiscoverySource.CreateAsync();
        await using var server = await QuarryTestServer.StartAsync(StoreKind.PostgreSql);
        var (_, token) = await server.CreateUserAsync("Dana Manager", Role.Manager);
        var api = server.Client(token);
        foreach (var team in new[] { "Analytics", "Finance", "Data Platform" })
            await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/teams", new { name = team });
        var connectionId = (await QuarryTestServer.PostJsonAsync<JsonElement>(api, "/api/connections", source.ConnectionBody("warehouse"))).GetProperty("id").GetInt32();
        await QuarryTestServer.PostJsonAsync<JsonElement>(api, "/api/datastores", new { name = "people", connection_id = connectionId, database = source.Sales, schema = "hr" });
        var enrichmentId = (await QuarryTestServer.PostJsonAsync<JsonElement>(api, "/api/datastores",
            new { name = "quality-results", connection_id = connectionId, database = source.Archive, schema = "public", enrichment_only = true })).GetProperty("id").GetInt32();
        // An older datastore already writes under "_prod_sales_eu" there, so the new one must get another prefix.
        await QuarryTestServer.PostJsonAsync<JsonElement>(api, "/api/datastores",
            new { name = "legacy", connection_id = connectionId, database = source.Archive, schema = "y2020", enrichment_datastore_id = enrichmentId, enrichment_prefix = "_prod_sales_eu" });

        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;

        // Sign in with the manager's token.
        await page.SignInAsync(server.Url, token);
        await page.WaitForSelectorAsync("text=Dana Manager");
        await page.ClickAsync("[data-testid=nav-wizard]");

        // Step 1: existing connection, catalog, schemas by search.
        await page.SelectOptionAsync("#connection", connectionId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.WaitForSelectorAsync($"#catalog option[value='{source.Sales}']", new() { State = WaitForSelectorState.Attached });
        await page.ClickAsync("[data-testid=refresh]");
        await page.WaitForSelectorAsync($"#catalog option[value='{source.Sales}']", new() { State = WaitForSelectorState.Attached });
        await page.SelectOptionAsync("#catalog", source.Sales);
        await page.WaitForSelectorAsync("[data-testid=schemas]:not([disabled])");
        await page.ClickAsync("[data-testid=schemas]");
        await page.FillAsync("[data-testid=schema-search]", "sales");
        Assert.Equal(2, await page.Locator(".ms-option").CountAsync());
        await page.ClickAsync(".ms-option[data-schema='sales_eu']");
        await page.ClickAsync(".ms-option[data-schema='sales_us']");
        await page.FillAsync("[data-testid=schema-search]", "r");
        await page.ClickAsync(".ms-option[data-schema='hr']");
        await page.ClickAsync(".ms-option[data-schema='restricted']");
        Assert.Equal("Existing datastores: people", await page.GetAttributeAsync(".ms-option[data-schema='hr'] [data-testid=existing-warning]", "aria-label"));
        Assert.Equal(0, await page.Locator(".ms-option[data-schema='sales_eu'] [data-testid=existing-warning]").CountAsync());
        await page.HoverAsync(".ms-option[data-schema='hr'] [data-testid=existing-warning]");
        await browser.ScreenshotAsync("1-schemas");
        await page.AssertAccessibleAsync("wizard's step 1 with the schema list open");
        Assert.Equal("4 selected", await page.TextContentAsync("[data-testid=selected-count]"));
        await page.ClickAsync("h1");

        // Name template with its live preview; teams, group, sync.
        await page.FillAsync("[data-testid=template]", "prod_{{ schema }}");
        var preview = await page.TextContentAsync("[data-testid=preview]");
        Assert.Contains("prod_sales_eu", preview);
        Assert.Contains("prod_hr", preview);
        await page.ClickAsync("[data-team='Analytics']");
        await page.ClickAsync("[data-team='Finance']");
        await page.FillAsync("#group", "Sales warehouse");
        Assert.True(await page.IsCheckedAsync("#sync"));

        // Test Connection: one result per schema; the restricted one fails, so it is left out.
        await page.ClickAsync("[data-testid=test]");
        await page.WaitForSelectorAsync("[data-testid=validation]");
        Assert.Contains("error", await page.TextContentAsync("[data-testid=validation] tr[data-schema='restricted']"));
        Assert.Contains("ok", await page.TextContentAsync("[data-testid=validation] tr[data-schema='sales_eu']"));
        await browser.ScreenshotAsync("2-validation");
        await page.AssertAccessibleAsync("wizard's step 1 with a failed validation");
        await page.ClickAsync("[data-testid=drop-failed]");
        Assert.Equal("3 selected", await page.TextContentAsync("[data-testid=selected-count]"));
        await page.ClickAsync("[data-testid=test]");
        await page.WaitForSelectorAsync("text=All 3 schema(s) passed.");
        CopyToDocs(await browser.ScreenshotAsync("3-step1-ready"), "multi-schema-wizard.png");

        // Step 2: link the enrichment datastore, create.
        await page.ClickAsync("[data-testid=next]");
        await page.WaitForSelectorAsync($"[data-testid=enrichment] option[value='{enrichmentId}']", new() { State = WaitForSelectorState.Attached });
        await page.SelectOptionAsync("[data-testid=enrichment]", enrichmentId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.WaitForSelectorAsync("text=_prod_sales_eu_2");
        await browser.ScreenshotAsync("4-enrichment");
        await page.AssertAccessibleAsync("wizard's step 2");
        await page.ClickAsync("[data-testid=create]");
        await page.WaitForSelectorAsync("[data-testid=created]");
        Assert.Equal("3", await page.TextContentAsync("[data-testid=created-count]"));
        Assert.Equal("0", await page.TextContentAsync("[data-testid=error-count]"));
        CopyToDocs(await browser.ScreenshotAsync("5-summary"), "multi-schema-summary.png");
        await page.AssertAccessibleAsync("wizard's summary");

        // Through the API: created, with the teams, the group and unique enrichment prefixes, then synced by the workers.
        var created = await WaitForSyncAsync(api, ["prod_sales_eu", "prod_sales_us", "prod_hr"]);
        Assert.All(created.Values, d =>
        {
            Assert.Equal(["Analytics", "Finance"], d.GetProperty("teams").EnumerateArray().Select(t => t.GetProperty("name").GetString()).Order());
            Assert.Equal("Sales warehouse", d.GetProperty("group").GetProperty("name").GetString());
            Assert.Equal(enrichmentId, d.GetProperty("enrich_datastore").GetProperty("id").GetInt32());
        });
        Assert.Equal("_prod_sales_eu_2", created["prod_sales_eu"].GetProperty("enrichment_prefix").GetString());
        Assert.Equal("_prod_sales_us", created["prod_sales_us"].GetProperty("enrichment_prefix").GetString());
        Assert.Equal(2, created["prod_sales_eu"].GetProperty("container_count").GetInt32());

        // The datastores page shows the sync status and container counts.
        await page.ClickAsync("text=View all datastores");
        await page.WaitForSelectorAsync("[data-testid=datastores] tr[data-name='prod_sales_eu']");
        Assert.Equal("2", (await page.TextContentAsync("tr[data-name='prod_sales_eu'] .container-count"))?.Trim());
        await browser.ScreenshotAsync("6-datastores");
        await page.AssertAccessibleAsync("datastores page");
        await page.ClickAsync("text=Connections");
        await page.WaitForSelectorAsync("text=Add datastores →");
        await browser.ScreenshotAsync("7-connections");
        await page.AssertAccessibleAsync("connections page");
    }

    /// <summary>Polls the datastores until every one's first sync has finished; syncs run on server workers, not in the request.</summary>
    private static async Task<Dictionary<string, JsonElement>> WaitForSyncAsync(HttpClient api, string[] names)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var items = (await QuarryTestServer.GetJsonAsync<JsonElement>(api, "/api/datastores?size=1000")).GetProperty("items").EnumerateArray()
                .Where(d => names.Contains(d.GetProperty("name").GetString())).ToDictionary(d => d.GetProperty("name").GetString()!);
            Assert.Equal(names.Order(), items.Keys.Order());
            var results = items.Values.Select(d => d.GetProperty("latest_sync") is { ValueKind: JsonValueKind.Object } sync ? sync.GetProperty("result").GetString() : null).ToList();
            if (results.All(r => r is "success")) return items;
            Assert.DoesNotContain(results, r => r is "failure" or "aborted");
            if (DateTime.UtcNow > deadline) Assert.Fail($"The syncs did not finish in 90 s: {string.Join(", ", results)}");
            await Task.Delay(500);
        }
    }

    /// <summary>
    /// Refreshes the docs' pictures of the wizard from this run when QUARRY_UPDATE_DOC_IMAGES=1, so an
    /// ordinary test run never changes tracked files.
    /// </summary>
    internal static void CopyToDocs(string screenshot, string name)
    {
        if (Environment.GetEnvironmentVariable("QUARRY_UPDATE_DOC_IMAGES") != "1") return;
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Quarry.slnx"))) root = root.Parent;
        if (root is null) return;
        var images = Directory.CreateDirectory(Path.Combine(root.FullName, "docs", "images"));
        File.Copy(screenshot, Path.Combine(images.FullName, name), overwrite: true);
    }
}
