using Quarry.Server.Quality;

namespace Quarry.Tests.Profile;

public sealed class ProfileCliTests
{
    [Fact]
    public async Task ProfileFromTheCliShowsTheFieldsAndActivatesTheDrafts()
    {
        var folder = Directory.CreateTempSubdirectory("quarry-profile-cli-").FullName;
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        try
        {
            var path = Path.Combine(folder, "shop.db");
            await SourceDatabases.ExecuteSqliteAsync(path, ShopData.SqliteSql);
            var connection = await SyncApi.CreateConnectionAsync(server.Admin, new { name = "shop-file", type = "sqlite", path });
            var shop = await SyncApi.CreateDatastoreAsync(server.Admin, connection, "shop", null, "main");
            Assert.Equal("success", (await SyncApi.SyncAsync(server.Admin, shop)).Result);

            var notYet = await cli.RunAsync("containers", "profile", "orders", "--datastore", "shop");
            Assert.True(notYet.ExitCode == 0, notYet.Output);
            Assert.Contains($"has not been profiled yet: run 'quarry operations profile --datastore-id {shop} --wait'", notYet.Stdout);
            var nowhere = await cli.RunAsync("containers", "profile", "ordres", "--datastore", "shop");
            Assert.Equal(1, nowhere.ExitCode);
            Assert.Contains("'quarry containers list --datastore shop' shows them", nowhere.Stderr);

            var bad = await cli.RunAsync("operations", "profile", "--datastore-id", "shop", "--sample-rows", "5");
            Assert.Equal(2, bad.ExitCode);
            Assert.Contains("--sample-rows must be at least 100", bad.Stderr);

            var run = await cli.RunAsync("operations", "profile", "--datastore-id", "shop", "--container", "orders", "--sample-rows", "1000", "--wait");
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("Profile Summary", run.Stdout);
            Assert.Contains("1 datastore(s) profiled", run.Stdout);

            var table = await cli.RunAsync("containers", "profile", "orders", "--datastore", "shop");
            Assert.True(table.ExitCode == 0, table.Output);
            Assert.Contains("status", table.Stdout);
            Assert.Contains("on a sample of 1,000 rows", table.Stdout);
            var json = await cli.RunAsync("containers", "profile", "orders", "--format", "json");
            using (var profiles = JsonDocument.Parse(json.Stdout))
            {
                var amount = profiles.RootElement.EnumerateArray().Single(p => p.GetProperty("field_name").GetString() == "amount");
                Assert.Equal(1000, amount.GetProperty("record_count").GetInt64());
                Assert.True(amount.GetProperty("sampled").GetBoolean());
            }

            var drafts = await cli.RunAsync("checks", "list", "--datastore", "shop", "--status", "Draft", "--format", "json");
            using var list = JsonDocument.Parse(drafts.Stdout);
            var ids = list.RootElement.EnumerateArray().Select(c => c.GetProperty("id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.NotEmpty(ids);
            var activate = await cli.RunAsync(["checks", "activate", .. ids]);
            Assert.True(activate.ExitCode == 0, activate.Output);
            Assert.Contains($"{ids.Count} check(s) active", activate.Stdout);
            Assert.Equal(ids.Count, (await ShopData.ChecksAsync(server.Admin, shop, CheckStatus.Active)).Count);

            var missing = await cli.RunAsync("checks", "activate", "999999");
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("999999", missing.Stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
