using Quarry.Tests.Config;

namespace Quarry.Tests.Api;

/// <summary>
/// A field the connector never reads ("database" for a SQLite file, "path" for PostgreSQL) is refused with the field
/// named and why, the same way through the API, the bulk create and config import, rather than kept and shown as if it mattered.
/// </summary>
public sealed class UnusedFieldTests
{
    private static string Error(JsonElement problem, string field) => problem.GetProperty("errors").GetProperty(field)[0].GetString()!;

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task TheApiRefusesADatabaseForSqliteAndAPathForPostgreSql(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var admin = server.Admin;

        var connection = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/connections",
            new { name = "lake", type = "sqlite", path = "/srv/lake.db", database = "analytics" });
        var pgPath = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/connections",
            new { name = "warehouse", type = "postgresql", host = "db.example.com", username = "reader", path = "/srv/lake.db" });
        var lake = await admin.CreateConnectionAsync("lake", "sqlite");
        var update = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"/api/connections/{lake}", new { database = "analytics", port = 5432 });
        var datastore = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/datastores",
            new { name = "lake-main", connection_id = lake, database = "analytics", schema = "main" });

        Assert.Contains("is not used by a sqlite connection: it reads the database file at 'path'", Error(connection, "database"));
        Assert.Contains("Remove 'database'.", Error(connection, "database"));
        Assert.Contains("is not used by a postgresql connection", Error(pgPath, "path"));
        Assert.Contains("Remove 'database'.", Error(update, "database"));
        Assert.Contains("Remove 'port'.", Error(update, "port"));
        Assert.Contains("is not used by a datastore of the sqlite connection 'lake'", Error(datastore, "database"));
        var stored = await admin.ReadAsync($"/api/connections/{lake}");
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("database").ValueKind);
        Assert.Equal(0, (await admin.ReadAsync("/api/datastores")).GetProperty("total").GetInt32());
        // Without the field, the same datastore is created.
        await admin.CreateIdAsync("/api/datastores", new { name = "lake-main", connection_id = lake, schema = "main" });
    }

    [Fact]
    public async Task BulkCreateRefusesTheFieldsAndLeavesNothingBehind()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var admin = server.Admin;
        var lake = await admin.CreateConnectionAsync("lake", "sqlite");

        var withConnection = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/connections/datastores/bulk", new
        {
            connection = new { name = "lake-2", type = "sqlite", path = "/srv/lake.db", database = "analytics" },
            schemas = new[] { "main" }, name_template = "l_{{ schema }}", teams = new[] { "Public" },
        });
        var withCatalog = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"/api/connections/{lake}/datastores/bulk",
            new { catalog = "analytics", schemas = new[] { "main" }, name_template = "l_{{ schema }}", teams = new[] { "Public" } });

        Assert.Contains("is not used by a sqlite connection", Error(withConnection, "database"));
        Assert.Contains("is not used by a sqlite connection: it has no catalog level", Error(withCatalog, "catalog"));
        Assert.Equal(["lake"], (await admin.ReadAsync("/api/connections")).Names());
        Assert.Equal(0, (await admin.ReadAsync("/api/datastores")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ConfigImportRefusesADatabaseOnASqliteConnectionOrDatastore()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        ConfigFolders.Write(Path.Combine(cli.WorkingDirectory, "cfg"), "connections/lake.yaml", "name: lake\ntype: sqlite\npath: /srv/lake.db\ndatabase: analytics\n");
        await server.Admin.CreateConnectionAsync("files", "sqlite");
        ConfigFolders.Write(Path.Combine(cli.WorkingDirectory, "ds"), "datastores/files-main/_datastore.yaml", "name: files-main\nconnection: files\ndatabase: analytics\n");

        var connection = await cli.ImportAsync("cfg");
        var datastore = await cli.ImportAsync("ds");

        Assert.NotEqual(ExitCodes.Success, connection.ExitCode);
        Assert.Contains("database: is not used by a sqlite connection", connection.Output);
        Assert.NotEqual(ExitCodes.Success, datastore.ExitCode);
        Assert.Contains("database: is not used by a datastore of the sqlite connection 'files'", datastore.Output);
        Assert.Equal((1, 0, 0), await server.CountAsync());
    }
}
