using Microsoft.Playwright;
using Quarry.Tests.Anomalies;

namespace Quarry.Tests.Web;

/// <summary>A datastore's page in Chromium: containers and checks with their last scan, anomalies to triage, operations with progress.</summary>
public sealed class DatastorePageBrowserTests
{
    [Fact]
    public async Task AnEditorOpensADatastoreSeesWhatTheScanFoundAndTriagesItsAnomalies()
    {
        await using var world = await AnomalyWorld.StartAsync(StoreKind.Sqlite);
        var anomalies = await StoredScans.AnomaliesOfAsync(world.Server, await world.ScanAsync());
        var (amount, status) = (anomalies[world.AmountNotNull], anomalies[world.StatusExpected]);
        var token = await MemberOfSalesAsync(world, "Editor");

        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        await SignInAsync(page, world, token);
        await page.ClickAsync("[data-testid=datastores] tr[data-name='shop'] a.ds-link");
        await page.WaitForSelectorAsync("[data-testid=anomalies] tr[data-anomaly]");
        Assert.Equal("shop", await page.InnerTextAsync("[data-testid=datastore-name]"));

        var orders = page.Locator("[data-testid=containers] tr[data-name='orders']");
        Assert.Equal("4", (await orders.Locator(".field-count").InnerTextAsync()).Trim());
        Assert.Contains("failed", await orders.Locator(".last-scan").InnerTextAsync());
        Assert.Contains("2 failed", await orders.InnerTextAsync());
        Assert.Contains("passed", await page.Locator("[data-testid=containers] tr[data-name='customers'] .last-scan").InnerTextAsync());
        Assert.Contains("failed", await page.Locator($"[data-testid=checks] tr[data-check='{world.AmountNotNull}'] .last-result").InnerTextAsync());
        Assert.Contains("passed", await page.Locator($"[data-testid=checks] tr[data-check='{world.IdNotNull}'] .last-result").InnerTextAsync());
        Assert.Equal(2, await page.Locator("[data-testid=anomalies] tr[data-anomaly]").CountAsync());
        await browser.ScreenshotAsync("datastore-1-overview");
        await page.AssertAccessibleAsync("datastore page");

        await page.ClickAsync($"tr[data-anomaly='{amount}'] .records-toggle");
        var records = page.Locator($"[data-testid=source-records-{amount}]");
        await records.WaitForAsync();
        Assert.Equal(2, await records.Locator("tbody tr").CountAsync());
        Assert.Contains("d@example.com", await records.InnerTextAsync());
        Assert.Equal(2, await records.Locator("td.anomalous .null").CountAsync());
        await browser.ScreenshotAsync("datastore-2-source-records");
        await page.AssertAccessibleAsync("datastore page with source records open");

        // Acknowledged is still open; Resolved leaves the open list and shows under its own filter.
        await page.SelectOptionAsync($"tr[data-anomaly='{amount}'] .status-select", "Acknowledged");
        await page.WaitForSelectorAsync("#toast.show");
        await page.SelectOptionAsync($"tr[data-anomaly='{status}'] .status-select", "Resolved");
        await page.WaitForSelectorAsync($"tr[data-anomaly='{status}']", new() { State = WaitForSelectorState.Detached });
        Assert.Equal("Acknowledged", await page.InputValueAsync($"tr[data-anomaly='{amount}'] .status-select"));
        await page.SelectOptionAsync("[data-testid=anomaly-filter]", "Resolved");
        await page.WaitForSelectorAsync($"tr[data-anomaly='{status}']");
        Assert.Equal(0, await page.Locator($"tr[data-anomaly='{amount}']").CountAsync());
        Assert.Equal("Acknowledged", (await world.Admin.ReadAsync($"/api/anomalies/{amount}")).GetProperty("status").GetString());
        Assert.Equal("Resolved", (await world.Admin.ReadAsync($"/api/anomalies/{status}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AViewerSeesStatusesWithoutControlsAndOperationsShowTheirProgressUntilTheyEnd()
    {
        await using var world = await AnomalyWorld.StartAsync(StoreKind.Sqlite);
        var amount = (await StoredScans.AnomaliesOfAsync(world.Server, await world.ScanAsync()))[world.AmountNotNull];
        var token = await MemberOfSalesAsync(world, "Viewer");
        var running = await RunningScanAsync(world, total: 10, analyzed: 4);

        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        await SignInAsync(page, world, token);
        await page.GotoAsync($"{world.Server.Url}#/datastores/{world.Datastore}");
        await page.WaitForSelectorAsync($"tr[data-anomaly='{amount}']");
        Assert.Equal(0, await page.Locator(".status-select").CountAsync());
        Assert.Equal("Active", (await page.Locator($"tr[data-anomaly='{amount}'] .status").InnerTextAsync()).Trim());

        var progress = page.Locator($"[data-testid=operations] tr[data-operation='{running}'] progress");
        Assert.Equal("4", await progress.GetAttributeAsync("value"));
        Assert.Equal("10", await progress.GetAttributeAsync("max"));
        Assert.Contains("sync", await page.Locator("[data-testid=operations]").InnerTextAsync());
        await browser.ScreenshotAsync("datastore-3-viewer-running-scan");
        await page.AssertAccessibleAsync("datastore page as a viewer, with a running operation");

        await FinishAsync(world, running);
        await page.WaitForSelectorAsync($"[data-testid=operations] tr[data-operation='{running}'] .pill.ok");

        // On a phone the wide tables scroll inside their sections; the page itself never scrolls sideways.
        await page.SetViewportSizeAsync(390, 844);
        var (content, window) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
        var wide = content <= window ? "" : await page.EvaluateAsync<string>(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.ds-section .ds-body')).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join('; ')");
        Assert.True(content <= window, $"The datastore page is {content}px wide on a {window}px screen: {wide}");
    }

    [Fact]
    public async Task AMemberOutsideTheDatastoresTeamsIsToldItCannotSeeIt()
    {
        await using var world = await AnomalyWorld.StartAsync(StoreKind.Sqlite);
        var (_, token) = await world.Server.CreateUserAsync("outsider", Role.Member);
        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        await SignInAsync(page, world, token);
        await page.GotoAsync($"{world.Server.Url}#/datastores/{world.Datastore}");
        await page.WaitForSelectorAsync(".banner.err");
        Assert.Equal(0, await page.Locator("[data-testid=anomalies]").CountAsync());
        await page.AssertAccessibleAsync("datastore page refused");
    }

    private static async Task SignInAsync(IPage page, AnomalyWorld world, string token)
    {
        await page.SignInAsync(world.Server.Url, token);
        await page.WaitForSelectorAsync("#page .page-head h1");
    }

    private static async Task<string> MemberOfSalesAsync(AnomalyWorld world, string permission)
    {
        var (id, token) = await world.Server.CreateUserAsync("member-" + permission.ToLowerInvariant(), Role.Member);
        var sales = (await world.Admin.ReadAsync("/api/teams")).GetProperty("items").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Sales").GetProperty("id").GetInt32();
        await world.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/teams/{sales}/members", new { user_id = id, permission });
        return token;
    }

    /// <summary>An operation a worker of another instance is running (heartbeat now), part way through its containers.</summary>
    private static async Task<int> RunningScanAsync(AnomalyWorld world, int total, int analyzed)
    {
        using var scope = world.Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
        var now = DateTime.UtcNow;
        var operation = new Operation
        {
            Type = "scan", DatastoreId = world.Datastore, State = OperationState.Running, Result = OperationResult.Running, WorkerId = "another-instance",
            HeartbeatAt = now, StartTime = now, CreatedAt = now, TotalContainers = total, ContainersAnalyzed = analyzed,
        };
        db.Operations.Add(operation);
        await db.SaveChangesAsync();
        return operation.Id;
    }

    private static async Task FinishAsync(AnomalyWorld world, int operationId)
    {
        using var scope = world.Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
        await db.Operations.Where(o => o.Id == operationId).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.State, OperationState.Finished).SetProperty(o => o.Result, OperationResult.Success)
            .SetProperty(o => o.ContainersAnalyzed, 10).SetProperty(o => o.EndTime, DateTime.UtcNow));
    }
}
