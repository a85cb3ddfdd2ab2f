namespace Quarry.Tests.Cli;

/// <summary><c>quarry connections|datastores create|update|delete</c>: the walkthrough needs no curl and no ids.</summary>
public sealed class WriteCommandTests
{
    private const string Password = "S3cur3p@ss-'quoted'";

    [Fact]
    public async Task AnEnrichmentDatastoreIsLinkedAndUnlinkedByNameWithTheCliAloneAndAnUnknownOneChangesNothing()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        Assert.Equal(0, (await cli.RunAsync("connections", "create", "shop-db", "--type", "sqlite", "--path", Path.Combine(cli.WorkingDirectory, "shop.db"))).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("datastores", "create", "results", "--connection", "shop-db", "--schema", "main", "--enrichment-only")).ExitCode);

        var created = await cli.RunAsync("datastores", "create", "shop", "--connection", "shop-db", "--schema", "main", "--enrichment", "results", "--format", "json");
        Assert.True(created.ExitCode == 0, created.Output);
        var shop = JsonDocument.Parse(created.Stdout).RootElement;
        Assert.Equal(("results", "_shop"), (shop.GetProperty("enrich_datastore").GetProperty("name").GetString(), shop.GetProperty("enrichment_prefix").GetString()));

        var unknown = await cli.RunAsync("datastores", "update", "shop", "--enrichment", "no-such-results", "--description", "changed");
        Assert.Equal(ExitCodes.Failure, unknown.ExitCode);
        Assert.Contains("No datastore you may see is named 'no-such-results' (--enrichment)", unknown.Stderr);
        var unchanged = JsonDocument.Parse((await cli.RunAsync("datastores", "get", "shop", "--format", "json")).Stdout).RootElement;
        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("description").ValueKind);

        var prefixed = await cli.RunAsync("datastores", "update", "shop", "--enrichment-prefix", "_quality", "--format", "json");
        Assert.True(prefixed.ExitCode == 0, prefixed.Output);
        Assert.Equal("_quality", JsonDocument.Parse(prefixed.Stdout).RootElement.GetProperty("enrichment_prefix").GetString());
        var unlinked = await cli.RunAsync("datastores", "update", "shop", "--enrichment", "none", "--format", "json");
        Assert.True(unlinked.ExitCode == 0, unlinked.Output);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(unlinked.Stdout).RootElement.GetProperty("enrichment_datastore_id").ValueKind);
    }

    [Fact]
    public async Task AWordWhereAnIdBelongsIsAUsageErrorSayingAnIdIsAWholeNumber()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        foreach (var args in new[] { new[] { "checks", "activate", "abc" }, ["checks", "archive", "7", "x7"] })
        {
            var refused = await cli.RunAsync(args);
            Assert.Equal(ExitCodes.Usage, refused.ExitCode);
            Assert.Contains($"'{args[^1]}' is not a valid id; give a whole number, e.g. 'quarry {args[0]} {args[1]} 42'", refused.Stderr);
        }
    }

    [Fact]
    public async Task OperationsAreListedForADatastoreGivenByName()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        await SourceDatabases.ExecuteSqliteAsync(Path.Combine(cli.WorkingDirectory, "shop.db"), "CREATE TABLE orders (id INTEGER)");
        Assert.Equal(0, (await cli.RunAsync("connections", "create", "shop-db", "--type", "sqlite", "--path", Path.Combine(cli.WorkingDirectory, "shop.db"))).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("datastores", "create", "shop", "--connection", "shop-db", "--schema", "main")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("datastores", "create", "other", "--connection", "shop-db", "--schema", "main")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("operations", "sync", "--datastore", "shop,other", "--wait")).ExitCode);

        var byName = await cli.RunAsync("operations", "list", "--datastore", "shop", "--format", "json");
        Assert.True(byName.ExitCode == 0, byName.Output);
        var shop = JsonDocument.Parse((await cli.RunAsync("datastores", "get", "shop", "--format", "json")).Stdout).RootElement.GetProperty("id").GetInt32();
        var listed = JsonDocument.Parse(byName.Stdout).RootElement.EnumerateArray().Select(o => o.GetProperty("datastore_id").GetInt32()).ToList();
        Assert.Equal([shop], listed);
        var unknown = await cli.RunAsync("operations", "list", "--datastore-id", "no-such-datastore");
        Assert.Equal(ExitCodes.Failure, unknown.ExitCode);
        Assert.Contains("No datastore you may see is named 'no-such-datastore'", unknown.Stderr);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ConnectionsAndDatastoresAreCreatedUpdatedAndDeletedByNameWithTheCliAlone(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        using var cli = new CliRunner(server);

        cli.Input = Password + "\n";
        var connection = await cli.RunAsync("connections", "create", "warehouse-db", "--type", "postgresql", "--host", "db.internal",
            "--username", "reader", "--database", "analytics", "--parameter", "sslmode=require", "--password-stdin", "--format", "json");
        Assert.True(connection.ExitCode == 0, connection.Output);
        Assert.True(JsonDocument.Parse(connection.Stdout).RootElement.GetProperty("password_set").GetBoolean());
        Assert.DoesNotContain("S3cur3p", connection.Output);

        var datastore = await cli.RunAsync("datastores", "create", "orders", "--connection", "warehouse-db", "--schema", "public", "--tag", "production");
        Assert.True(datastore.ExitCode == 0, datastore.Output);
        Assert.Contains("Created datastore orders (id ", datastore.Stdout);

        // By name, where "expected type System.Int32" used to answer.
        var get = await cli.RunAsync("datastores", "get", "orders", "--format", "json");
        Assert.True(get.ExitCode == 0, get.Output);
        Assert.Equal("warehouse-db", JsonDocument.Parse(get.Stdout).RootElement.GetProperty("connection").GetProperty("name").GetString());
        Assert.Equal(0, (await cli.RunAsync("connections", "get", "warehouse-db")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("containers", "list", "--datastore", "orders")).ExitCode);

        // JSON keeps an apostrophe as it is.
        var update = await cli.RunAsync("datastores", "update", "orders", "--description", "O'Brien's orders", "--format", "json");
        Assert.True(update.ExitCode == 0, update.Output);
        Assert.Contains("\"description\": \"O'Brien's orders\"", update.Stdout);
        Assert.DoesNotContain("\\u0027", update.Stdout);

        cli.Set("NEW_WAREHOUSE_PASSWORD", "rotated-Pw-77");
        var rotate = await cli.RunAsync("connections", "update", "warehouse-db", "--port", "5433", "--password-env", "NEW_WAREHOUSE_PASSWORD", "--format", "json");
        Assert.True(rotate.ExitCode == 0, rotate.Output);
        Assert.Equal(5433, JsonDocument.Parse(rotate.Stdout).RootElement.GetProperty("port").GetInt32());
        Assert.DoesNotContain("rotated-Pw-77", rotate.Output);

        // Without a terminal, a delete needs --yes; on one, "n" keeps it and "y" deletes it.
        var refused = await cli.RunAsync("datastores", "delete", "orders");
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("pass --yes", refused.Stderr);
        cli.CanPrompt = true;
        cli.Input = "n\n";
        Assert.Equal(ExitCodes.Cancelled, (await cli.RunAsync("datastores", "delete", "orders")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("datastores", "get", "orders")).ExitCode);
        cli.Input = "y\n";
        var deleted = await cli.RunAsync("datastores", "delete", "orders");
        Assert.True(deleted.ExitCode == 0, deleted.Output);
        Assert.Contains("Delete datastore 'orders'", deleted.Stderr);
        Assert.Equal(ExitCodes.Failure, (await cli.RunAsync("datastores", "get", "orders")).ExitCode);

        cli.CanPrompt = false;
        Assert.Equal(0, (await cli.RunAsync("connections", "delete", "warehouse-db", "--yes")).ExitCode);
        Assert.Contains("No connection is named 'warehouse-db'", (await cli.RunAsync("connections", "get", "warehouse-db")).Stderr);
    }

    [Fact]
    public async Task APasswordIsNeverTakenAsAnArgumentAndAMissingVariableIsNamed()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);

        var argument = await cli.RunAsync("connections", "create", "db", "--type", "postgresql", "--host", "h", "--username", "u", "--password", "hunter2-secret");
        Assert.Equal(ExitCodes.Usage, argument.ExitCode);
        Assert.Contains("has no option '--password'", argument.Stderr);
        Assert.DoesNotContain("hunter2-secret", argument.Output);

        var missing = await cli.RunAsync("connections", "create", "db", "--type", "postgresql", "--host", "h", "--username", "u", "--password-env", "NOT_SET_PW");
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Contains("--password-env NOT_SET_PW: the variable is not set", missing.Stderr);

        var secretParameter = await cli.RunAsync("connections", "create", "db", "--type", "postgresql", "--host", "h", "--username", "u", "--parameter", "sslpassword=x");
        Assert.Equal(ExitCodes.Usage, secretParameter.ExitCode);
        Assert.Contains("looks like a secret", secretParameter.Stderr);
        Assert.Equal(0, (await QuarryTestServer.GetJsonAsync<JsonElement>(server.Admin, "/api/connections")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ATypoGetsTheNearestCommandOrOptionAndAnEnumItsAllowedValues()
    {
        using var cli = new CliRunner();

        var command = await cli.RunAsync("datastores", "lsit");
        Assert.Equal(ExitCodes.Usage, command.ExitCode);
        Assert.Contains("'quarry datastores' has no command 'lsit'; did you mean 'list'?", command.Stderr);
        Assert.Contains("Run 'quarry datastores --help'", command.Stderr);

        var option = await cli.RunAsync("datastores", "list", "--serch", "x");
        Assert.Contains("did you mean '--search'?", option.Stderr);

        var role = await cli.RunAsync("users", "create", "boss", "--role", "Boss");
        Assert.Equal(ExitCodes.Usage, role.ExitCode);
        Assert.Contains("--role: 'Boss' is not allowed; use one of Member, Manager, Admin.", role.Stderr);
        Assert.DoesNotContain("Quarry.Server", role.Stderr);
    }

    [Fact]
    public async Task AuthFailuresAndAnUnreachableServerHaveTheirOwnExitCodes()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var (_, member) = await server.CreateUserAsync("member", Role.Member);

        using var wrongToken = new CliRunner(server, "qry_not-a-real-token");
        Assert.Equal(ExitCodes.AuthFailed, (await wrongToken.RunAsync("datastores", "list")).ExitCode);

        using var asMember = new CliRunner(server, member);
        var forbidden = await asMember.RunAsync("connections", "create", "db", "--type", "sqlite", "--path", "/tmp/x.db");
        Assert.Equal(ExitCodes.AuthFailed, forbidden.ExitCode);
        Assert.Contains("403", forbidden.Stderr);

        using var nowhere = new CliRunner().Set("QUARRY_URL", "http://127.0.0.1:9").Set("QUARRY_TOKEN", "qry_x");
        var unreachable = await nowhere.RunAsync("datastores", "list");
        Assert.Equal(ExitCodes.Unreachable, unreachable.ExitCode);
        Assert.Contains("Could not reach", unreachable.Stderr);
    }
}
