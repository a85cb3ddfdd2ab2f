namespace Quarry.Tests.Api;

public sealed class ConcurrentWritesTests
{
    /// <summary>Several clients writing at once never see "database is locked" on SQLite, nor lose a write on either store.</summary>
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task EightClientsCreatingDatastoresAtOnceAllSucceed(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var connection = await server.Admin.CreateConnectionAsync("warehouse");
        await server.Admin.CreateIdAsync("/api/teams", new { name = "Finance" });

        var failures = await Task.WhenAll(Enumerable.Range(0, 8).Select(async c =>
        {
            var client = server.Client(server.AdminToken);
            var failed = new List<string>();
            for (var i = 0; i < 10; i++)
            {
                using var response = await client.PostAsJsonAsync("/api/datastores",
                    new { name = $"ds-{c}-{i}", connection_id = connection, schema = "s", tags = new[] { "t" }, teams = new[] { "Finance" } });
                if (response.StatusCode != HttpStatusCode.Created) failed.Add(await response.Content.ReadAsStringAsync());
            }
            return failed;
        }));

        Assert.Empty(failures.SelectMany(f => f));
        Assert.Equal(80, (await server.Admin.ReadAsync("/api/datastores?team=finance")).GetProperty("total").GetInt32());
        Assert.DoesNotContain("locked", server.Logs.All, StringComparison.OrdinalIgnoreCase);
    }
}
