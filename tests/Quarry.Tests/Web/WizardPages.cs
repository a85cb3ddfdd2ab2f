using Microsoft.Playwright;

namespace Quarry.Tests.Web;

/// <summary>Where the wizard's browser tests start: a manager, a team to give the new datastores to, and the wizard open.</summary>
internal static class WizardPages
{
    /// <summary>Creates the manager "Dana Manager" and the team "Analytics"; returns the manager's token.</summary>
    public static async Task<string> AddManagerAndTeamAsync(this QuarryTestServer server)
    {
        var (_, token) = await server.CreateUserAsync("Dana Manager", Role.Manager);
        await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/teams", new { name = "Analytics" });
        return token;
    }

    /// <summary>Signs in with <paramref name="token"/> and opens the wizard from the navigation.</summary>
    public static async Task OpenWizardAsync(this IPage page, string url, string token)
    {
        await page.SignInAsync(url, token);
        await page.ClickAsync("[data-testid=nav-wizard]");
    }
}
