namespace Quarry.Tests.Store;

/// <summary>The data folder on a real disk: who may read it, and what the user sees when it is full or read-only.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataFolderTests
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task TheDataFolderAndEveryStoreFileAreReadableByTheirOwnerOnly()
    {
        var parent = Directory.CreateTempSubdirectory("quarry-modes-").FullName;
        var data = Path.Combine(parent, "quarry-data");
        try
        {
            var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite, o => o.DataDirectory = data);
            await server.Admin.CreateConnectionAsync("written");
            AssertOwnerOnly(data, "quarry.db", "quarry.db-wal", "quarry.db-shm", "secret.key");

            // A folder made by an older Quarry (or copied in) with the usual 0755/0644 is narrowed at the next start.
            File.SetUnixFileMode(data, OwnerOnlyFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(Path.Combine(data, "quarry.db"), OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            await using var again = await server.RestartAsync();
            Assert.Equal(["written"], (await again.Admin.ReadAsync("/api/connections")).Names());
            AssertOwnerOnly(data, "quarry.db", "quarry.db-wal", "quarry.db-shm", "secret.key");
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public async Task ServeOnAReadOnlyDataFolderNamesTheFolderAndWhatToDo()
    {
        using var mount = TempMount.Tmpfs(8192);
        using var cli = new CliRunner();

        // A store made earlier, on a disk that is read-only now.
        Assert.Equal(0, (await cli.RunAsync("db", "migrate", "--data", mount.Path)).ExitCode);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // the in-process CLI's pool would keep the mount busy
        mount.MakeReadOnly();
        AssertRefusedWithOneLine(await cli.RunAsync("serve", "--port", FreePort(), "--data", mount.Path), mount.Path);

        // And a first start there.
        var fresh = Path.Combine(mount.Path, "new-data");
        AssertRefusedWithOneLine(await cli.RunAsync("serve", "--port", FreePort(), "--data", fresh), fresh);
    }

    [Fact]
    public async Task AFullDiskAnswersInsufficientStorageAndWritesWorkAgainOnceSpaceIsFreed()
    {
        using var mount = TempMount.Tmpfs(8192);
        var data = Path.Combine(mount.Path, "data");
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite, o => o.DataDirectory = data);
        await server.Admin.CreateConnectionAsync("before-full");
        var filler = mount.Fill();

        // The store's write-ahead log may still have room for a few small writes; the first one that needs disk fails.
        System.Text.Json.JsonElement problem = default;
        for (var i = 0; i < 200 && problem.ValueKind == System.Text.Json.JsonValueKind.Undefined; i++)
        {
            var (status, body, _) = await server.Admin.SendAsync(HttpMethod.Post, "/api/connections",
                new { name = $"while-full-{i}", type = "sqlite", path = new string('x', 500) + ".db" });
            if (status == HttpStatusCode.Created) continue;
            Assert.Equal(HttpStatusCode.InsufficientStorage, status);
            problem = body;
        }
        Assert.Equal(507, problem.GetProperty("status").GetInt32());
        Assert.Contains("disk is full", problem.GetProperty("detail").GetString());
        Assert.Contains("Free disk space", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("Unhandled error", server.Logs.All);

        File.Delete(filler);
        var id = await server.Admin.CreateConnectionAsync("after-freeing");
        await server.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/connections/{id}");
    }

    private static void AssertRefusedWithOneLine(CliResult result, string folder)
    {
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(folder, line);
        Assert.Contains("read-only", line);
        Assert.Contains("make the folder writable", line);
        Assert.DoesNotContain("SQLite Error", result.Output);
        Assert.DoesNotContain("   at ", result.Output);
    }

    private static string FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AssertOwnerOnly(string folder, params string[] files)
    {
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(folder));
        foreach (var file in files) Assert.True(OwnerOnlyFile == File.GetUnixFileMode(Path.Combine(folder, file)), $"{file}: {File.GetUnixFileMode(Path.Combine(folder, file))}");
    }
}
