namespace Quarry.Tests.Config;

/// <summary>What a preview and a run say when part of a folder is wrong: the rest of the plan, the right reason, the right exit code.</summary>
public sealed class ConfigPreviewTests
{
    [Fact]
    public async Task ADryRunWithContinueOnErrorPreviewsEveryOtherItemAndWritesNothing()
    {
        await using var world = await ConfigWorld.StartAsync(StoreKind.Sqlite, "mix");
        world.Write("connections/lake.yaml", "name: mix-conn\ntype: sqlite\npath: /srv/lake.db\n");
        world.Write("datastores/ok/_datastore.yaml", "name: mix-ok\nconnection: mix-conn\n");
        world.Write("datastores/bad/_datastore.yaml", "name: mix-bad\nconnection: mix-conn\nteams: [ghost]\n");

        var strict = await world.ImportAsync("--dry-run");
        var preview = await world.ImportAsync("--dry-run", "--continue-on-error");

        Assert.Equal(ExitCodes.Usage, strict.ExitCode);
        Assert.Contains("add --continue-on-error to preview the other items", strict.Stderr);
        Assert.Equal(ExitCodes.Failure, preview.ExitCode);
        Assert.Contains("[DRY RUN] Would create connection: mix-conn", preview.Stdout);
        Assert.Contains("[DRY RUN] Would create datastore: mix-ok", preview.Stdout);
        Assert.DoesNotContain("Would create datastore: mix-bad", preview.Stdout);
        Assert.Contains("Import Summary", preview.Stdout);
        Assert.Contains("mix/datastores/bad/_datastore.yaml:3:8: datastore 'mix-bad': teams: unknown team(s): ghost", preview.Stderr);
        Assert.Equal((0, 0, 0), await world.Server.CountAsync());

        var applied = await world.ImportAsync("--continue-on-error");
        Assert.Equal(ExitCodes.Failure, applied.ExitCode);
        Assert.Equal((1, 1, 0), await world.Server.CountAsync());
    }

    [Fact]
    public async Task AnEnrichmentDatastoreNamedInTheFolderThatIsNotOneIsReportedAsSuchNotAsMissing()
    {
        await using var world = await ConfigWorld.StartAsync(StoreKind.Sqlite, "enr");
        world.Write("connections/lake.yaml", "name: lake\ntype: sqlite\npath: /srv/lake.db\n");
        world.Write("datastores/x/_datastore.yaml", "name: enr-x\nconnection: lake\nenrichment_datastore: enr-y\n");
        world.Write("datastores/y/_datastore.yaml", "name: enr-y\nconnection: lake\n");
        world.Write("datastores/z/_datastore.yaml", "name: enr-z\nconnection: lake\nenrichment_only: true\nenrichment_datastore: enr-x\n");

        var result = await world.ImportAsync("--dry-run");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("enr/datastores/x/_datastore.yaml:3:23: datastore 'enr-x': enrichment_datastore: datastore 'enr-y' is not an enrichment datastore: set enrichment_only: true in its file", result.Stderr);
        Assert.Contains("datastore 'enr-z': enrichment_datastore: 'enr-z' is itself an enrichment datastore", result.Stderr);
        Assert.DoesNotContain("exists neither", result.Stderr);
    }

    [Fact]
    public async Task YamlOutsideTheLayoutIsReportedAsNotReadWhileConnectionsInSubFoldersAreRead()
    {
        await using var world = await ConfigWorld.StartAsync(StoreKind.Sqlite);
        world.Write("connections/lake.yaml", "name: lake\ntype: sqlite\npath: /srv/lake.db\n");
        world.Write("connections/more/other.yaml", "name: other\ntype: sqlite\npath: /srv/other.db\n");
        world.Write("connections/more/deeper/third.yml", "name: third\ntype: sqlite\npath: /srv/third.db\n");
        world.Write("datastores/flat.yaml", "name: flat\nconnection: lake\n");

        var result = await world.ImportAsync();

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("cfg/datastores/flat.yaml: not read; a datastore is datastores/<name>/_datastore.yaml.", result.Output);
        Assert.DoesNotContain("connections/more/: not read", result.Output);
        Assert.Equal((3, 0, 0), await world.Server.CountAsync());
    }

    [Fact]
    public async Task TheSameConnectionNameInTwoSubFoldersIsAnErrorNamingBothFiles()
    {
        await using var world = await ConfigWorld.StartAsync(StoreKind.Sqlite);
        world.Write("connections/dev/warehouse.yaml", "name: warehouse\ntype: sqlite\npath: /srv/dev.db\n");
        world.Write("connections/prod/warehouse.yaml", "name: Warehouse\ntype: sqlite\npath: /srv/prod.db\n");

        var result = await world.ImportAsync();

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Matches(@"cfg/connections/prod/warehouse\.yaml:1:\d+: duplicate connection name 'Warehouse': cfg/connections/dev/warehouse\.yaml:1:\d+ already defines it", result.Stderr);
        Assert.Equal((0, 0, 0), await world.Server.CountAsync());
    }

    [Fact]
    public async Task APruneThatMustKeepAConnectionStillInUseIsAFailedItemNotAnInvalidFile()
    {
        await using var world = await ConfigWorld.StartAsync(StoreKind.Sqlite);
        world.Write("connections/lake.yaml", "name: lake\ntype: sqlite\npath: /srv/lake.db\n");
        world.Write("connections/spare.yaml", "name: spare\ntype: sqlite\npath: /srv/spare.db\n");
        Assert.Equal(ExitCodes.Success, (await world.ImportAsync()).ExitCode);
        var lake = (await world.Server.Admin.ReadAsync("/api/connections?name=lake")).GetProperty("items")[0].GetProperty("id").GetInt32();
        await world.Server.Admin.CreateIdAsync("/api/datastores", new { name = "made-by-hand", connection_id = lake });
        File.Delete(Path.Combine(world.Root, "connections/lake.yaml"));

        var result = await world.ImportAsync("--prune", "--yes");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("connection 'lake' is still used by datastores that stay; it was kept.", result.Stderr);
        Assert.Equal(2, (await world.Server.Admin.ReadAsync("/api/connections")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ABadCommandLineWithFormatJsonStillPrintsOneJsonDocument()
    {
        using var config = ConfigFolder.Offline("no-such-folder");

        var result = await config.ImportAsync("--format", "json");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var error = System.Text.Json.JsonDocument.Parse(result.Stdout).RootElement.GetProperty("errors")[0];
        Assert.Contains("'no-such-folder' is not a folder", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task APortTooLargeIsCalledThatNotASingleValue()
    {
        using var config = ConfigFolder.Offline();
        config.Write("connections/big.yaml", "name: big\ntype: postgresql\nhost: h\nusername: u\nport: 99999999999\n");

        var result = await config.ImportAsync();

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

        var result = await cli.ImportAsync("cfg", "--include", "datastores");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("cfg/datastores/ledger/_datastore.yaml:4:8: datastore group 'brand-new': Creating datastore groups needs the Manager role", result.Stderr);
    }

    [Fact]
    public async Task WhenTheSyncBeforeTheChecksFailsTheRunSaysWhatWasAppliedAndExitsOne()
    {
        await using var world = await ConfigWorld.StartAsync(StoreKind.Sqlite);
        var missing = Path.Combine(world.Cli.WorkingDirectory, "not-there.db");
        world.Write("connections/lake.yaml", $"name: lake\ntype: sqlite\npath: {missing}\n");
        world.Write("datastores/shop/_datastore.yaml", "name: shop\nconnection: lake\n");
        world.Write("datastores/shop/checks/orders/notNull__id.yaml", "rule: notNull\nfields: [id]\n");

        var preview = await world.ImportAsync("--dry-run");
        var result = await world.ImportAsync();

        // The dry run says the apply will connect to the database; the apply says what it wrote before the sync failed.
        Assert.Contains("then sync 'shop' (connecting to its database)", preview.Output);
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("Created connection: lake", result.Stdout);
        Assert.Contains("Created datastore: shop", result.Stdout);
        Assert.Contains("cfg/datastores/shop/_datastore.yaml:1:1: the sync of datastore 'shop'", result.Stderr);
        Assert.Contains("The connections and datastores above were applied; the checks, computed fields and computed containers were not.", result.Stderr);
        Assert.DoesNotContain("Nothing was sent", result.Output);
        Assert.Equal((1, 1, 0), await world.Server.CountAsync());
    }
}
