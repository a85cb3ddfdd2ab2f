using System.Net.Sockets;

namespace Quarry.Tests.Config;

/// <summary>Bad config is reported at file:line:column, all at once, before anything is written (or, for variables, sent).</summary>
public sealed class ConfigValidationTests
{
    [Fact]
    public async Task MissingVariablesAreListedInOneErrorAndNoRequestIsSent()
    {
        // Nothing listens on this port: any request would fail with "Server unreachable" and exit 1, not 2.
        // An empty value (a CI secret that isn't configured) counts as missing.
        using var config = ConfigFolder.Offline("quarry-config");
        config.Cli.Set("WAREHOUSE_HOST", "warehouse.example.com").Set("WAREHOUSE_USER", "");
        config.WriteSeedFolder();

        var result = await config.ImportAsync();

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var error = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("3 variable(s) not set (or empty)", error);
        Assert.Contains("WAREHOUSE_USER (used at quarry-config/connections/warehouse-prod-db.yaml:5:11)", result.Stderr);
        Assert.Contains("WAREHOUSE_PASSWORD (used at quarry-config/connections/warehouse-prod-db.yaml:6:11)", result.Stderr);
        Assert.Contains("ANALYTICS_PASSWORD (used at quarry-config/connections/analytics-prod-db.yaml:6:11)", result.Stderr);
        Assert.DoesNotContain("WAREHOUSE_HOST", result.Stderr);
        Assert.Contains("Nothing was sent to the server.", result.Stderr);
        Assert.DoesNotContain("unreachable", result.Output);
    }

    [Theory]
    [InlineData("WAREHOUSE_PASSWORD='S3cr3tPw9")]
    [InlineData("WAREHOUSE_PASSWORD=\"S3cr3tPw9")]
    [InlineData("WAREHOUSE_PASSWORD=S3cr3tPw9\"tail")]
    public async Task AMalformedEnvFileIsReportedAtItsLineWithoutShowingAnyValue(string badLine)
    {
        using var config = ConfigFolder.Offline("quarry-config");
        config.WriteSeedFolder();
        File.WriteAllText(Path.Combine(config.Cli.WorkingDirectory, ".env"), $"WAREHOUSE_HOST=warehouse.example.com\nWAREHOUSE_USER=reader\n{badLine}\nANALYTICS_PASSWORD=An4lyt1csPw\n");

        var result = await config.ImportAsync();

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("error: .env:3:", result.Stderr);
        Assert.Contains("NAME=value", result.Stderr);
        foreach (var secret in new[] { "S3cr3tPw9", "S3cr3t", "Pw9", "An4lyt1csPw", "reader" }) Assert.DoesNotContain(secret, result.Output);
        Assert.DoesNotContain("Sprache", result.Output);
        Assert.DoesNotContain("   at ", result.Output);
    }

    [Fact]
    public async Task ErrorLinesLongerThanAScreenStayOnOneLineWhenPiped()
    {
        // Scripts and CI logs grep errors by file:line; a line broken at a made-up width no longer matches.
        var variable = "DATA_LAKE_" + new string('X', 300);
        using var config = ConfigFolder.Offline("quarry-config");
        config.Write("connections/lake.yaml", $$"""
            name: lake
            type: postgresql
            host: ${{{variable}}}
            username: reader
            """);

        var result = await config.ImportAsync();

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"  {variable} (used at quarry-config/connections/lake.yaml:3:7)\n", result.Stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task ASourceRecordLimitOutOfRangeIsReportedAtItsLineAndNothingIsSent()
    {
        // Nothing listens on this port: a folder that passed validation would end in "unreachable", not a usage error.
        using var config = ConfigFolder.Offline("quarry-config");
        config.Write("connections/lake.yaml", """
            name: lake
            type: sqlite
            path: /srv/lake.db
            """);
        config.Write("datastores/lake/_datastore.yaml", """
            name: lake
            connection: lake
            source_record_limit: 5000
            """);

        var result = await config.ImportAsync();

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("quarry-config/datastores/lake/_datastore.yaml:3:", result.Stderr);
        Assert.Contains("'source_record_limit' is 5000; give a whole number from 0 to 1000", result.Stderr);
        Assert.DoesNotContain("unreachable", result.Output);
    }

    [Fact]
    public async Task HiddenFilesAndFoldersAreNotReadAsConfig()
    {
        // Nothing listens on this port: a folder that passes validation ends in "unreachable" (exit 5), a bad one in exit 2.
        using var config = ConfigFolder.Offline("quarry-config");
        config.Cli.Set("WAREHOUSE_HOST", "h").Set("WAREHOUSE_USER", "u").Set("WAREHOUSE_PASSWORD", "p").Set("ANALYTICS_PASSWORD", "p");
        config.WriteSeedFolder();
        // What a copy from macOS leaves next to each file, and an editor's draft: neither is YAML a user wrote as config.
        File.WriteAllBytes(Path.Combine(config.Root, "connections", "._warehouse-prod-db.yaml"), [0, 5, 22, 7, 0, 2, 0, 0, 0xFF]);
        config.Write("datastores/.draft/_datastore.yaml", "name: draft\nconnection: nowhere\nunknown_key: 1\n");

        var result = await config.ImportAsync();

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode); // an unreachable server has its own exit code now (was 1)
        Assert.Contains("unreachable", result.Output);
        Assert.DoesNotContain("._warehouse", result.Output);
        Assert.DoesNotContain(".draft", result.Output);
    }

    [Fact]
    public async Task MissingVariableOpensNoConnectionToTheServer()
    {
        // A listener that counts connection attempts stands in for the server.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var cli = new CliRunner().Set("QUARRY_URL", $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}").Set("QUARRY_TOKEN", "unused");
        ConfigFolders.WriteSeedFolder(cli.WorkingDirectory);

        var result = await cli.ImportAsync("quarry-config", "--dry-run");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.False(listener.Pending());
        // Control: with the variables set, the same command does connect (and fails when the "server" hangs up).
        var control = cli.WithSeedSecrets().ImportAsync("quarry-config", "--dry-run");
        using (await listener.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(60))) { }
        Assert.Equal(ExitCodes.Unreachable, (await control).ExitCode); // a server that hangs up counts as unreachable (was 1)
    }

    [Fact]
    public async Task VariablesComeFromTheEnvironmentThenDotEnvAndDoubleDollarIsLiteral()
    {
        await using var world = await ConfigWorld.StartAsync(StoreKind.Sqlite, "quarry-config");
        world.Cli.Set("WAREHOUSE_HOST", "from-environment.example.com");
        world.WriteSeedFolder();
        File.WriteAllText(Path.Combine(world.Cli.WorkingDirectory, ".env"),
            "WAREHOUSE_HOST=from-dotenv.example.com\nWAREHOUSE_USER=dotenv_user\nWAREHOUSE_PASSWORD=dotenv-pass\nANALYTICS_PASSWORD=x\n");
        world.Write("datastores/data-lake-prod/_datastore.yaml", """
            name: data-lake-prod
            connection: data-lake-prod
            description: "costs $${NOT_A_VARIABLE} and ${WAREHOUSE_USER}"
            """);

        var result = await world.ImportAsync();

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var connection = (await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/connections?name=warehouse-prod-db")).GetProperty("items")[0];
        Assert.Equal("from-environment.example.com", connection.GetProperty("host").GetString());
        Assert.Equal("dotenv_user", connection.GetProperty("username").GetString());
        var datastore = (await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/datastores?name=data-lake-prod")).GetProperty("items")[0];
        Assert.Equal("costs ${NOT_A_VARIABLE} and dotenv_user", datastore.GetProperty("description").GetString());
    }

    [Fact]
    public async Task EveryBadFileIsReportedAtFileLineColumnInOneRun()
    {
        using var config = ConfigFolder.Offline("bad");
        config.Write("connections/typo.yaml", """
            name: typo
            type: postgresql
            hots: db.example.com
            port: five
            username: [a, b]
            """);
        config.Write("connections/syntax.yaml", """
            name: syntax
            type: postgresql
              host: misindented
            """);
        config.Write("connections/lake.yaml", """
            name: Lake
            type: sqlite
            path: /x.db
            """);
        config.Write("connections/lake-again.yaml", """
            name: lake
            type: sqlite
            path: /y.db
            """);
        config.Write("datastores/nameless/_datastore.yaml", """
            connection: typo
            tags: production
            enrichment_only: maybe
            """);
        config.Write("datastores/repeated/_datastore.yaml", """
            name: repeated
            connection: typo
            connection_name: typo
            """);
        Directory.CreateDirectory(Path.Combine(config.Root, "datastores/empty"));
        config.Write("datastores/repeated/checks/orders/between__amount.yaml", """
            rule: between
            feilds: [amount]
            """);

        var result = await config.ImportAsync("--dry-run");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var errors = result.Stderr;
        Assert.Contains("bad/connections/typo.yaml:3:1: unknown key 'hots' in a connection; did you mean 'host'?", errors);
        Assert.Contains("bad/connections/typo.yaml:4:7: 'port' must be a whole number", errors);
        Assert.Contains("bad/connections/typo.yaml:5:11: 'username' must be text, found a list.", errors);
        Assert.Contains("bad/connections/syntax.yaml:3:", errors);
        Assert.Contains("invalid YAML", errors);
        Assert.Contains("bad/connections/lake.yaml:1:7: duplicate connection name 'Lake': bad/connections/lake-again.yaml:1:7 already defines it", errors);
        Assert.Contains("bad/datastores/nameless/_datastore.yaml:2:7: 'tags' must be a list", errors);
        Assert.Contains("bad/datastores/nameless/_datastore.yaml:3:18: 'enrichment_only' must be true or false", errors);
        Assert.Contains("bad/datastores/nameless/_datastore.yaml:1:1: missing required key 'name'", errors);
        Assert.Contains("bad/datastores/repeated/_datastore.yaml:3:1: 'connection_name' repeats 'connection'", errors);
        Assert.Contains("bad/datastores/empty/: this datastore folder has no _datastore.yaml", errors);
        Assert.Contains("bad/datastores/repeated/checks/orders/between__amount.yaml:2:1: unknown key 'feilds' in a check; did you mean 'fields'?", errors);
        Assert.Contains("11 error(s) in the config. Nothing was sent to the server.", errors);
        Assert.DoesNotContain("unreachable", result.Output);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task NamesThatExistNeitherInTheFolderNorOnTheServerAreValidationErrors(StoreKind kind)
    {
        await using var world = await ConfigWorld.StartWithSeedFolderAsync(kind);
        world.Write("datastores/orphan/_datastore.yaml", """
            name: orphan
            database: d
            schema: s
            connection: no-such-connection
            enrichment_datastore: no-such-enrichment
            """);

        var result = await world.ImportAsync("--format", "json");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("quarry-config/datastores/orphan/_datastore.yaml:4:13: datastore 'orphan': connection 'no-such-connection' exists neither in this config nor on the server."
            + " Add connections/no-such-connection.yaml (and keep connections in --include), or create it on the server first.", result.Stderr);
        Assert.Contains("quarry-config/datastores/orphan/_datastore.yaml:5:23: datastore 'orphan': datastore 'no-such-enrichment' exists neither in this config nor on the server."
            + " Add datastores/no-such-enrichment/_datastore.yaml, or check the name.", result.Stderr);
        var document = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(2, document.GetProperty("errors").GetArrayLength());
        Assert.Equal((0, 0, 0), await world.Server.CountAsync());
    }

    [Fact]
    public async Task SchemaCommandWritesASchemaPerFileKind()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("config", "schema", "--output", "schemas");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var connection = JsonDocument.Parse(File.ReadAllText(Path.Combine(cli.WorkingDirectory, "schemas/connection.schema.json"))).RootElement;
        Assert.False(connection.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(["name", "type"], connection.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.True(connection.GetProperty("properties").GetProperty("password").GetProperty("writeOnly").GetBoolean());
        var datastore = JsonDocument.Parse(File.ReadAllText(Path.Combine(cli.WorkingDirectory, "schemas/datastore.schema.json"))).RootElement;
        Assert.True(datastore.GetProperty("properties").TryGetProperty("connection_name", out _));
        Assert.True(datastore.GetProperty("properties").TryGetProperty("enrichment_datastore", out _));
    }

    [Fact]
    public async Task UnknownIncludeKindIsAUsageError()
    {
        using var cli = new CliRunner();
        ConfigFolders.WriteSeedFolder(cli.WorkingDirectory);

        var typo = await cli.ImportAsync("quarry-config", "--include", "datastore");
        var later = await cli.ImportAsync("quarry-config", "--include", "connections,rules");

        Assert.Equal(ExitCodes.Usage, typo.ExitCode);
        Assert.Contains("did you mean 'datastores'?", typo.Stderr);
        Assert.Equal(ExitCodes.Usage, later.ExitCode);
        Assert.Contains("unknown kind 'rules'", later.Stderr);
    }

}
