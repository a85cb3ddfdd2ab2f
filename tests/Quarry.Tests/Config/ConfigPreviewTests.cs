namespace Quarry.Tests.Config;

/// <summary>What a preview and a run say when part of a folder is wrong: the rest of the plan, the right reason, the right exit code.</summary>
public sealed class ConfigPreviewTests
{
    private static void WriteMixedFolder(string root)
    {
        ConfigFolders.Write(root, "connections/lake.yaml", "name: mix-conn\ntype: sqlite\npath: /srv/lake.db\n");
        ConfigFolders.Write(root, "datastores/ok/_datastore.yaml", "name: mix-ok\nconnection: mix-conn\n");
        ConfigFolders.Write(root, "datastores/bad/_datastore.yaml", "name: mix-bad\nconnection: mix-conn\nteams: [ghost]\n");
    }

    [Fact]
    public async Task ADryRunWithContinueOnErrorPreviewsEveryOtherItemAndWritesNothing()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        WriteMixedFolder(Path.Combine(cli.WorkingDirectory, "mix"));

        var strict = await cli.RunAsync("config", "import", "--input", "mix", "--dry-run");
        var preview = await cli.RunAsync("config", "import", "--input", "mix", "--dry-run", "--continue-on-error");

        Assert.Equal(ExitCodes.Usage, strict.ExitCode);
        Assert.Contains("add --continue-on-error to preview the other items", strict.Stderr);
        Assert.Equal(ExitCodes.Failure, preview.ExitCode);
        Assert.Contains("[DRY RUN] Would create connection: mix-conn", preview.Stdout);
        Assert.Contains("[DRY RUN] Would create datastore: mix-ok", preview.Stdout);
        Assert.DoesNotContain("Would create datastore: mix-bad", preview.Stdout);
        Assert.Contains("Import Summary", preview.Stdout);
        Assert.Contains("mix/datastores/bad/_datastore.yaml:3:8: datastore 'mix-bad': teams: unknown team(s): ghost", preview.Stderr);
        Assert.Equal((0, 0, 0), await server.CountAsync());

        var applied = await cli.RunAsync("config", "import", "--input", "mix", "--continue-on-error");
        Assert.Equal(ExitCodes.Failure, applied.ExitCode);
        Assert.Equal((1, 1, 0), await server.CountAsync());
    }

    [Fact]
    public async Task AnEnrichmentDatastoreNamedInTheFolderThatIsNotOneIsReportedAsSuchNotAsMissing()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        var root = Path.Combine(cli.WorkingDirectory, "enr");
        ConfigFolders.Write(root, "connections/lake.yaml", "name: lake\ntype: sqlite\npath: /srv/lake.db\n");
        ConfigFolders.Write(root, "datastores/x/_datastore.yaml", "name: enr-x\nconnection: lake\nenrichment_datastore: enr-y\n");
        ConfigFolders.Write(root, "datastores/y/_datastore.yaml", "name: enr-y\nconnection: lake\n");
        ConfigFolders.Write(root, "datastores/z/_datastore.yaml", "name: enr-z\nconnection: lake\nenrichment_only: true\nenrichment_datastore: enr-x\n");

        var result = await cli.RunAsync("config", "import", "--input", "enr", "--dry-run");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("enr/datastores/x/_datastore.yaml:3:23: datastore 'enr-x': enrichment_datastore: datastore 'enr-y' is not an enrichment datastore: set enrichment_only: true in its file", result.Stderr);
        Assert.Contains("datastore 'enr-z': enrichment_datastore: 'enr-z' is itself an enrichment datastore", result.Stderr);
        Assert.DoesNotContain("exists neither", result.Stderr);
    }

    [Fact]
    public async Task YamlOutsideTheLayoutIsReportedAsNotReadWhileConnectionsInSubFoldersAreRead()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        var root = Path.Combine(cli.WorkingDirectory, "cfg");
        ConfigFolders.Write(root, "connections/lake.yaml", "name: lake\ntype: sqlite\npath: /srv/lake.db\n");
        ConfigFolders.Write(root, "connections/more/other.yaml", "name: other\ntype: sqlite\npath: /srv/other.db\n");
        ConfigFolders.Write(root, "connections/more/deeper/third.yml", "name: third\ntype: sqlite\npath: /srv/third.db\n");
        ConfigFolders.Write(root, "datastores/flat.yaml", "name: flat\nconnection: lake\n");

        var result = await cli.RunAsync("config", "import", "--input", "cfg");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("cfg/datastores/flat.yaml: not read; a datastore is datastores/<name>/_datastore.yaml.", result.Output);
        Assert.DoesNotContain("connections/more/: not read", result.Output);
        Assert.Equal((3, 0, 0), await server.CountAsync());
    }

    [Fact]
    public async Task TheSameConnectionNameInTwoSubFoldersIsAnErrorNamingBothFiles()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        var root = Path.Combine(cli.WorkingDirectory, "cfg");
        ConfigFolders.Write(root, "connections/dev/warehouse.yaml", "name: warehouse\ntype: sqlite\npath: /srv/dev.db\n");
        ConfigFolders.Write(root, "connections/prod/warehouse.yaml", "name: Warehouse\ntype: sqlite\npath: /srv/prod.db\n");

        var result = await cli.RunAsync("config", "import", "--input", "cfg");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Matches(@"cfg/connections/prod/warehouse\.yaml:1:\d+: duplicate connection name 'Warehouse': cfg/connections/dev/warehouse\.yaml:1:\d+ already defines it", result.Stderr);
        Assert.Equal((0, 0, 0), await server.CountAsync());
    }

    [Fact]
    public async Task APruneThatMustKeepAConnectionStillInUseIsAFailedItemNotAnInvalidFile()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        var root = Path.Combine(cli.WorkingDirectory, "cfg");
        ConfigFolders.Write(root, "connections/lake.yaml", "name: lake\ntype: sqlite\npath: /srv/lake.db\n");
        ConfigFolders.Write(root, "connections/spare.yaml", "name: spare\ntype: sqlite\npath: /srv/spare.db\n");
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("config", "import", "--input", "cfg")).ExitCode);
        var lake = (await server.Admin.ReadAsync("/api/connections?name=lake")).GetProperty("items")[0].GetProperty("id").GetInt32();
        await server.Admin.CreateIdAsync("/api/datastores", new { name = "made-by-hand", connection_id = lake });
        File.Delete(Path.Combine(root, "connections/lake.yaml"));

        var result = await cli.RunAsync("config", "import", "--input", "cfg", "--prune", "--yes");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("connection 'lake' is still used by datastores that stay; it was kept.", result.Stderr);
        Assert.Equal(2, (await server.Admin.ReadAsync("/api/connections")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ABadCommandLineWithFormatJsonStillPrintsOneJsonDocument()
    {
        using var cli = new CliRunner().Set("QUARRY_URL", "http://127.0.0.1:9").Set("QUARRY_TOKEN", "unused");

        var result = await cli.RunAsync("config", "import", "--input", "no-such-folder", "--format", "json");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var error = System.Text.Json.JsonDocument.Parse(result.Stdout).RootElement.GetProperty("errors")[0];
        Assert.Contains("'no-such-folder' is not a folder", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task APortTooLargeIsCalledThatNotASingleValue()
    {
        using var cli = new CliRunner().Set("QUARRY_URL", "http://127.0.0.1:9").Set("QUARRY_TOKEN", "unused");
        ConfigFolders.Write(Path.Combine(cli.WorkingDirectory, "cfg"), "connections/big.yaml", "name: big\ntype: postgresql\nhost: h\nusername: u\nport: 99999999999\n");

        var result = await cli.RunAsync("config", "import", "--input", "cfg");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("cfg/connections/big.yaml:5:7: 'port' must be a whole number (like 5432), found a number too large.", result.Stderr);
    }

    [Fact]
    public async Task AGroupAMemberMayNotCreateIsReportedAtTheDatastoreFileThatNamesIt()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var admin = server.Admin;
        var team = await admin.CreateIdAsync("/api/teams", new { name = "Finance" });
        await admin.CreateIdAsync("/api/datastores", new { name = "ledger", connection_id = await admin.CreateConnectionAsync("lake", "sqlite"), teams = new[] { "Finance" } });
        var (memberId, token) = await server.CreateUserAsync("ed", Quarry.Contracts.Access.Role.Member);
        await admin.ExpectAsync(System.Net.HttpStatusCode.OK, HttpMethod.Post, $"/api/teams/{team}/members", new { user_id = memberId, permission = "Editor" });
        using var cli = new CliRunner(server, token);
        ConfigFolders.Write(Path.Combine(cli.WorkingDirectory, "cfg"), "datastores/ledger/_datastore.yaml", "name: ledger\nconnection: lake\nteams: [Finance]\ngroup: brand-new\n");

        var result = await cli.RunAsync("config", "import", "--input", "cfg", "--include", "datastores");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("cfg/datastores/ledger/_datastore.yaml:4:8: datastore group 'brand-new': Creating datastore groups needs the Manager role", result.Stderr);
    }

    [Fact]
    public async Task WhenTheSyncBeforeTheChecksFailsTheRunSaysWhatWasAppliedAndExitsOne()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        var root = Path.Combine(cli.WorkingDirectory, "cfg");
        var missing = Path.Combine(cli.WorkingDirectory, "not-there.db");
        ConfigFolders.Write(root, "connections/lake.yaml", $"name: lake\ntype: sqlite\npath: {missing}\n");
        ConfigFolders.Write(root, "datastores/shop/_datastore.yaml", "name: shop\nconnection: lake\n");
        ConfigFolders.Write(root, "datastores/shop/checks/orders/notNull__id.yaml", "rule: notNull\nfields: [id]\n");

        var preview = await cli.RunAsync("config", "import", "--input", "cfg", "--dry-run");
        var result = await cli.RunAsync("config", "import", "--input", "cfg");

        // The dry run says the apply will connect to the database; the apply says what it wrote before the sync failed.
        Assert.Contains("then sync 'shop' (connecting to its database)", preview.Output);
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("Created connection: lake", result.Stdout);
        Assert.Contains("Created datastore: shop", result.Stdout);
        Assert.Contains("cfg/datastores/shop/_datastore.yaml:1:1: the sync of datastore 'shop'", result.Stderr);
        Assert.Contains("The connections and datastores above were applied; the checks, computed fields and computed containers were not.", result.Stderr);
        Assert.DoesNotContain("Nothing was sent", result.Output);
        Assert.Equal((1, 1, 0), await server.CountAsync());
    }
}
