using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Quarry.Tests.Web;

/// <summary>
/// axe-core's WCAG 2 A and AA rules run on the page as it is shown: every page and wizard step is checked where the
/// browser tests reach it, so a colour too faint to read or a control without a name fails the test that shows it.
/// </summary>
public static class Axe
{
    private static readonly AxeRunOptions Options = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa"] },
    };

    public static async Task AssertAccessibleAsync(this IPage page, string what)
    {
        var result = await page.RunAxe(Options);
        var problems = result.Violations.SelectMany(v => v.Nodes.Select(n =>
            $"- {v.Id} ({v.Help}): {n.Html}\n  {string.Join(" ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message))}")).ToList();
        Assert.True(problems.Count == 0, $"The {what} has {problems.Count} accessibility violation(s):\n{string.Join("\n", problems)}");
    }
}
