using Quarry.Tests.Enrichment;
using Quarry.Tests.Scan;

namespace Quarry.Tests.Access;

/// <summary>
/// Profiles, scans, exports and materializes talk to databases that need a password and write what they found in many
/// places. Whether they succeed or fail on a refused password, none of those places may hold the password or a token.
/// </summary>
public sealed class OperationSecretTests
{
    private const string Orders = """
        CREATE TABLE orders (id integer, email text, amount numeric(10,2));
        INSERT INTO orders VALUES (1, 'a@example.com', 10), (2, NULL, 20), (3, 'c@example.com', 30);
        """;

    [Fact]
    public async Task NoPasswordOrTokenIsInTheStoreLogsApiEnrichmentTablesOrConfigExportAfterOperationsThatSucceedAndFail()
    {
        var login = await SourceDatabases.CreatePasswordUserAsync();
        const string wrongPassword = "Wrong-7c1f0e5a-never-shown";
        await using var world = await ScanWorld.StartAsync("postgresql", Orders, login: login);
        await using var target = await EnrichmentTarget.CreateAsync(world.Server, EnrichmentKind.PostgreSql, login: login);
        await target.ExecuteAsync($"GRANT CREATE ON SCHEMA \"{EnrichmentTarget.PostgresSchema}\" TO {login.User}");
        var admin = world.Admin;
        await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/datastores/{world.DatastoreId}/enrichment/{target.DatastoreId}?enrichment_prefix=_shop");
        var (_, memberToken) = await world.Server.CreateUserAsync("analyst", Role.Member);
        await world.AddCheckAsync("orders", "notNull", ["email"]);

        // With the right password every operation runs and writes what it found: anomalies, source records, enrichment tables.
        foreach (var body in Operations(world.DatastoreId))
            Assert.True((await RunAsync(admin, body)).Result == OperationResult.Success, $"{JsonSerializer.Serialize(body)} did not succeed");
        Assert.NotNull(await target.RowsAsync("_shop_source_records"));
        Assert.NotNull(await target.RowsAsync("_shop_mat_orders"));

        // Then both databases refuse the password Quarry sends: each operation fails and says why, without the password.
        foreach (var connection in new[] { world.ConnectionId, await ConnectionOfAsync(admin, target.DatastoreId) })
            await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/connections/{connection}", new { password = wrongPassword });
        var failures = new StringBuilder();
        foreach (var body in Operations(world.DatastoreId))
        {
            var failed = await RunAsync(admin, body);
            Assert.True(failed.Result == OperationResult.Failure, $"{JsonSerializer.Serialize(body)}: {failed.Result} {failed.Message}");
            Assert.Contains("password", failed.Message);
            failures.AppendLine(failed.Message);
        }
        var (templatesStatus, templatesProblem, _) = await admin.SendAsync(HttpMethod.Post, $"/api/export/check-templates?enrich_datastore_id={target.DatastoreId}");
        Assert.Equal(HttpStatusCode.BadGateway, templatesStatus);

        // Everywhere it could have gone: API answers, logs, the store, the enrichment tables and a config export.
        var seen = new StringBuilder().Append(failures).Append(templatesProblem);
        foreach (var path in new[]
                 {
                     $"/api/operations?datastore={world.DatastoreId}&size=100", $"/api/anomalies?datastore={world.DatastoreId}&archived=include",
                     $"/api/check-results?datastore={world.DatastoreId}&size=100", $"/api/container-scans?datastore={world.DatastoreId}",
                     $"/api/quality-checks?datastore={world.DatastoreId}", $"/api/datastores/{world.DatastoreId}", "/api/connections",
                 })
            seen.Append(await admin.ReadAsync(path));
        foreach (var anomaly in (await admin.ReadAsync($"/api/anomalies?datastore={world.DatastoreId}")).GetProperty("items").EnumerateArray())
            seen.Append(await admin.ReadAsync($"/api/anomalies/{anomaly.GetProperty("id").GetInt32()}/source-records"));
        foreach (var container in await SyncApi.ContainersAsync(admin, world.DatastoreId))
            seen.Append(await admin.ReadAsync($"/api/containers/{container.Id}/field-profiles"));
        foreach (var table in await TablesAsync(target))
            foreach (var row in (await target.RowsAsync(table))!)
                seen.AppendJoin('|', row.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))).AppendLine();
        using var cli = new CliRunner(world.Server);
        var exported = Path.Combine(cli.WorkingDirectory, "exported");
        Assert.Equal(0, (await cli.RunAsync("config", "export", "--output", exported)).ExitCode);
        foreach (var file in Directory.GetFiles(exported, "*", SearchOption.AllDirectories))
            seen.Append(await File.ReadAllTextAsync(file));
        var store = await world.Server.ReadStoreBytesAsync();

        Assert.Contains("_shop_mat_orders", await TablesAsync(target));
        foreach (var secret in new[] { login.Password, wrongPassword, world.Server.AdminToken, memberToken })
        {
            Assert.DoesNotContain(secret, seen.ToString());
            Assert.DoesNotContain(secret, world.Server.Logs.All);
            Assert.Equal(-1, store.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
        }
    }

    private static object[] Operations(int datastore) =>
    [
        new { type = "profile", datastore_id = datastore },
        new { type = "scan", datastore_id = datastore },
        new { type = "export", datastore_id = datastore },
        new { type = "materialize", datastore_id = datastore, container_names = new[] { "orders" } },
    ];

    private static async Task<OperationDto> RunAsync(HttpClient admin, object body)
    {
        var queued = await admin.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, "/api/operations/run", body);
        return await SyncApi.WaitAsync(admin, queued.GetProperty("id").GetInt32());
    }

    private static async Task<int> ConnectionOfAsync(HttpClient admin, int datastore) =>
        (await admin.ReadAsync($"/api/datastores/{datastore}")).GetProperty("connection_id").GetInt32();

    /// <summary>Every table Quarry wrote in the enrichment schema.</summary>
    private static async Task<List<string>> TablesAsync(EnrichmentTarget target)
    {
        await using var db = new Npgsql.NpgsqlConnection(target.PostgresConnectionString);
        await db.OpenAsync();
        await using var list = new Npgsql.NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = @schema ORDER BY 1", db);
        list.Parameters.AddWithValue("schema", EnrichmentTarget.PostgresSchema);
        var tables = new List<string>();
        await using var reader = await list.ExecuteReaderAsync();
        while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        return tables;
    }
}
