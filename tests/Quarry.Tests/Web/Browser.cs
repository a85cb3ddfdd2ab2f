using Microsoft.Playwright;

namespace Quarry.Tests.Web;

/// <summary>
/// Debian's Chromium driven by Playwright. Never downloads a browser: install it with
/// <c>apt-get install -y chromium</c>. Screenshots go to the test output's <c>screenshots</c> folder.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
    }

    public IPage Page { get; }

    public static string ScreenshotFolder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    /// <param name="viewport">The window size; a wide desktop one (1440×1000) unless given.</param>
    public static async Task<Browser> LaunchAsync(ViewportSize? viewport = null)
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's Chromium with 'apt-get install -y chromium' (the tests never download a browser).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = viewport ?? new ViewportSize { Width = 1440, Height = 1000 } });
        page.SetDefaultTimeout(20_000);
        return new Browser(playwright, browser, page);
    }

    /// <summary>Saves a full-page screenshot and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

public static class BrowserPages
{
    /// <summary>Opens the web UI at <paramref name="url"/> and signs in (or tries to) with <paramref name="token"/>.</summary>
    public static async Task SignInAsync(this IPage page, string url, string token)
    {
        await page.GotoAsync(url);
        await page.FillAsync("#token", token);
        await page.ClickAsync("button[type=submit]");
    }
}
