namespace Quarry.Tests.MultiSchema;

/// <summary>
/// Discovery marks every datastore that already reads a schema: enrichment datastores too, and datastores reading the
/// same database through another connection of the same type. Real PostgreSQL source, both Quarry stores, real CLI.
/// </summary>
public sealed class ExistingDatastoresTests(SharedDiscoverySource shared) : IClassFixture<SharedDiscoverySource>
{
    private readonly DiscoverySource _source = shared.Source;

    private sealed record World(QuarryTestServer Server, HttpClient Manager, CliRunner Cli, int ConnectionId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Cli.Dispose();
            await Server.DisposeAsync();
        }
    }

    /// <summary>
    /// "warehouse" and "warehouse-copy" reach the same PostgreSQL server; "elsewhere" another host. On the sales database:
    /// hr is read by "people" and, through the copy, by "people-again"; sales_eu by the enrichment datastore "quality-results";
    /// sales_us only by "remote" on the other host, which is a different database.
    /// </summary>
    private async Task<World> StartAsync(StoreKind kind)
    {
        var server = await QuarryTestServer.StartAsync(kind);
        var (_, token) = await server.CreateUserAsync("onboarder", Role.Manager);
        var manager = server.Client(token);
        async Task<int> CreateAsync(string path, object body) => (await QuarryTestServer.PostJsonAsync<JsonElement>(manager, path, body)).GetProperty("id").GetInt32();
        var warehouse = await CreateAsync("/api/connections", _source.ConnectionBody("warehouse"));
        var copy = await CreateAsync("/api/connections", _source.ConnectionBody("warehouse-copy"));
        var elsewhere = await CreateAsync("/api/connections", new { name = "elsewhere", type = "postgresql", host = "db.example.com", port = _source.Port, username = "x", database = _source.Sales });
        await CreateAsync("/api/datastores", new { name = "people", connection_id = warehouse, database = _source.Sales, schema = "hr" });
        await CreateAsync("/api/datastores", new { name = "people-again", connection_id = copy, database = _source.Sales, schema = "hr" });
        await CreateAsync("/api/datastores", new { name = "quality-results", connection_id = warehouse, database = _source.Sales, schema = "sales_eu", enrichment_only = true });
        await CreateAsync("/api/datastores", new { name = "remote", connection_id = elsewhere, database = _source.Sales, schema = "sales_us" });
        return new World(server, manager, new CliRunner(server, token), warehouse);
    }

    private static Dictionary<string, List<JsonElement>> ByName(JsonElement list) =>
        list.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("existing_datastores").EnumerateArray().ToList());

    private static string Describe(JsonElement d) =>
        $"{d.GetProperty("name").GetString()}|{d.GetProperty("enrichment_only").GetBoolean()}|{d.GetProperty("connection").GetProperty("name").GetString()}";

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task SchemasListEnrichmentDatastoresAndDatastoresOfOtherConnectionsToTheSameDatabase(StoreKind kind)
    {
        await using var world = await StartAsync(kind);

        var schemas = ByName(await QuarryTestServer.GetJsonAsync<JsonElement>(world.Manager, $"/api/connections/{world.ConnectionId}/schemas?catalog={_source.Sales}"));
        var catalogs = ByName(await QuarryTestServer.GetJsonAsync<JsonElement>(world.Manager, $"/api/connections/{world.ConnectionId}/catalogs"));
        // A connection not saved yet is warned about the same datastores.
        var unsaved = ByName(await QuarryTestServer.PostJsonAsync<JsonElement>(world.Manager, $"/api/connections/schemas?catalog={_source.Sales}", _source.ConnectionBody("draft")));

        Assert.Equal(["people|False|warehouse", "people-again|False|warehouse-copy"], schemas["hr"].Select(Describe));
        Assert.Equal(["quality-results|True|warehouse"], schemas["sales_eu"].Select(Describe));
        Assert.Empty(schemas["sales_us"]);
        Assert.Equal(["people", "people-again", "quality-results"], catalogs[_source.Sales].Select(d => d.GetProperty("name").GetString()));
        Assert.Equal(schemas["hr"].Select(Describe), unsaved["hr"].Select(Describe));
        Assert.Equal(schemas["sales_eu"].Select(Describe), unsaved["sales_eu"].Select(Describe));
    }

    [Fact]
    public async Task TheCliShowsThemInSchemasAndInTheCreateMultiPlan()
    {
        await using var world = await StartAsync(StoreKind.Sqlite);

        var schemas = await world.Cli.RunAsync("connections", "schemas", "warehouse", "--catalog", _source.Sales);
        var plan = await world.Cli.RunAsync("datastores", "create-multi", "--connection", "warehouse", "--catalog", _source.Sales,
            "--schemas", "hr,sales_eu,sales_us", "--name-template", "new_{{ schema }}", "--team", "Public", "--dry-run", "--format", "json");

        Assert.Equal(ExitCodes.Success, schemas.ExitCode);
        var flat = string.Join(" ", schemas.Stdout.Split((char[])['\n', '│', '|', ' '], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("quality-results (#3, enrichment)", flat);
        Assert.Contains("people-again (#2, through connection 'warehouse-copy')", flat);
        Assert.Equal(ExitCodes.Success, plan.ExitCode);
        var messages = JsonDocument.Parse(plan.Stdout).RootElement.GetProperty("schemas").EnumerateArray()
            .ToDictionary(p => p.GetProperty("schema").GetString()!, p => p.GetProperty("message").GetString()!);
        Assert.Contains("already read by datastore(s) people, people-again through connection 'warehouse-copy'", messages["hr"]);
        Assert.Contains("already read by datastore(s) quality-results (enrichment)", messages["sales_eu"]);
        Assert.DoesNotContain("already read", messages["sales_us"]);
    }
}
