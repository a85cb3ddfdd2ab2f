using Microsoft.Playwright;
using Quarry.Server.Quality;
using Quarry.Tests.Profile;

namespace Quarry.Tests.Web;

/// <summary>The profile sections of a datastore's page in Chromium: fields with their statistics, proposed checks to activate or discard.</summary>
public sealed class ProfileBrowserTests
{
    [Fact]
    public async Task AnAdminProfilesFromTheDatastorePageSeesTheFieldsAndActivatesOrDiscardsTheProposedChecks()
    {
        var source = await ShopData.CreatePostgresAsync();
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        try
        {
            var shop = await ShopData.PostgresDatastoreAsync(server.Admin, source);
            await using var browser = await Browser.LaunchAsync();
            var page = browser.Page;
            await page.SignInAsync(server.Url, server.AdminToken);
            await page.WaitForSelectorAsync("#page .page-head h1");
            await page.GotoAsync($"{server.Url}#/datastores/{shop}");
            await page.WaitForSelectorAsync("[data-testid=section-profile] .empty:has-text('not been profiled')");

            await page.ClickAsync("[data-testid=run-profile]");
            // The first container (customers) shows once the profile has finished; then the other one, chosen.
            await page.Locator("[data-testid=field-profiles] tr[data-field='email']").WaitForAsync(new() { Timeout = 120_000 });
            await page.SelectOptionAsync("[data-testid=profile-container]", new SelectOptionValue { Label = "orders" });
            var status = page.Locator("[data-testid=field-profiles] tr[data-field='status']");
            await page.WaitForSelectorAsync("[data-testid=field-profiles] tr[data-field='ship_by']");
            Assert.Equal("4", (await status.Locator(".distinct").InnerTextAsync()).Trim());
            Assert.Contains("date", await page.InnerTextAsync("[data-testid=field-profiles] tr[data-field='ship_by']"));
            Assert.Equal(3, await status.Locator(".top-value .bar").CountAsync());
            Assert.Contains("86% null", await page.Locator("[data-testid=field-profiles] tr[data-field='note'] .nulls .bar").GetAttributeAsync("aria-label"));

            var drafts = page.Locator("[data-testid=drafts] tr[data-draft]");
            await drafts.First.WaitForAsync();
            var proposed = await drafts.CountAsync();
            Assert.Equal(proposed, (await ShopData.ChecksAsync(server.Admin, shop, CheckStatus.Draft)).Count);
            await browser.ScreenshotAsync("profile-1-fields-and-drafts");
            await page.AssertAccessibleAsync("datastore page with field profiles and proposed checks");

            var first = await drafts.First.GetAttributeAsync("data-draft");
            await page.ClickAsync($"tr[data-draft='{first}'] button.activate");
            await page.WaitForSelectorAsync($"tr[data-draft='{first}']", new() { State = WaitForSelectorState.Detached });
            var second = await drafts.First.GetAttributeAsync("data-draft");
            await page.ClickAsync($"tr[data-draft='{second}'] button.discard");
            await page.WaitForSelectorAsync($"tr[data-draft='{second}']", new() { State = WaitForSelectorState.Detached });
            await page.ClickAsync("[data-testid=activate-all]");
            await page.WaitForSelectorAsync("[data-testid=section-drafts] .empty");

            var checks = await ShopData.ChecksAsync(server.Admin, shop);
            Assert.Equal(CheckStatus.Archived, (await ShopData.ChecksAsync(server.Admin, shop, CheckStatus.Archived)).Single(c => c.Id.ToString() == second).Status);
            Assert.Equal(proposed - 1, checks.Count(c => c.Status == CheckStatus.Active));
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(source);
        }
    }
}
