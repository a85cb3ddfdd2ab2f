namespace Quarry.Tests.FullConfig;

public sealed class FullConfigAccessTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ImportingChecksNeedsAuthorInADatastoreTeamAndAViewerIsRefusedPerFile(StoreKind kind)
    {
        await using var world = await FullConfigWorld.StartAsync(kind);
        var server = world.Server;
        var team = (await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/teams", new { name = "analysts" })).GetProperty("id").GetInt32();
        var files = world.BaseFiles();
        files["datastores/sales/_datastore.yaml"] += "teams: [analysts]\n";
        files["datastores/sales/checks/customers/notNull__id.yaml"] = "rule: notNull\nfields: [id]\n";
        var folder = world.Folder("cfg", files);
        await world.AssertImportsAsync(folder);

        var (viewerId, viewerToken) = await server.CreateUserAsync("victor", Role.Member);
        var (authorId, authorToken) = await server.CreateUserAsync("alice", Role.Member);
        await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, $"/api/teams/{team}/members", new { user_id = viewerId, permission = "Viewer" });
        await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, $"/api/teams/{team}/members", new { user_id = authorId, permission = "Author" });
        world.Folder("cfg", new Dictionary<string, string> { ["datastores/sales/checks/customers/unique__id.yaml"] = "rule: unique\nfields: [id]\n" });

        using var viewer = new CliRunner(server, viewerToken).Set("SOURCE_PASSWORD", FullConfigWorld.Password);
        CopyFolder(world.Cli.WorkingDirectory, viewer.WorkingDirectory, "cfg");
        var refused = await viewer.RunAsync("config", "import", "--input", "cfg");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"{Path.Combine("cfg", "datastores", "sales", "checks", "customers", "unique__id.yaml")}:1:1: quality check 'sales/customers/unique(id)':", refused.Stderr);
        Assert.Contains("needs the Author or Editor permission", refused.Stderr);
        Assert.Equal(1, (await QuarryTestServer.GetJsonAsync<JsonElement>(server.Admin, "/api/quality-checks")).GetProperty("total").GetInt32());

        using var author = new CliRunner(server, authorToken).Set("SOURCE_PASSWORD", FullConfigWorld.Password);
        CopyFolder(world.Cli.WorkingDirectory, author.WorkingDirectory, "cfg");
        var allowed = await author.RunAsync("config", "import", "--input", "cfg");
        Assert.True(allowed.ExitCode == 0, allowed.Output);
        Assert.Contains("Created quality check: sales/customers/unique(id)", allowed.Stdout);
        Assert.Equal(2, (await QuarryTestServer.GetJsonAsync<JsonElement>(server.Admin, "/api/quality-checks")).GetProperty("total").GetInt32());
    }

    private static void CopyFolder(string from, string to, string name)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(from, name), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
