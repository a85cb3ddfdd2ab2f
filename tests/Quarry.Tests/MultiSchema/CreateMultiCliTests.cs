namespace Quarry.Tests.MultiSchema;

/// <summary>The CLI side of multi-schema creation, run through the real command tree against a real server and source.</summary>
public sealed class CreateMultiCliTests(SharedDiscoverySource shared) : IClassFixture<SharedDiscoverySource>
{
    private readonly DiscoverySource _source = shared.Source;

    /// <summary>A server with the team Analytics, and a manager's CLI with the connection "warehouse" to the source.</summary>
    private sealed record Onboarding(QuarryTestServer Server, CliRunner Cli) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Cli.Dispose();
            await Server.DisposeAsync();
        }
    }

    private async Task<Onboarding> StartAsync()
    {
        var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var (_, token) = await server.CreateUserAsync("onboarder", Role.Manager);
        var manager = server.Client(token);
        await QuarryTestServer.PostJsonAsync<JsonElement>(server.Admin, "/api/teams", new { name = "Analytics" });
        await QuarryTestServer.PostJsonAsync<JsonElement>(manager, "/api/connections", _source.ConnectionBody("warehouse"));
        return new Onboarding(server, new CliRunner(server, token));
    }

    private static async Task<List<string>> DatastoreNamesAsync(QuarryTestServer server) =>
        (await QuarryTestServer.GetJsonAsync<JsonElement>(server.Admin, "/api/datastores?size=1000")).GetProperty("items").EnumerateArray()
            .Select(d => d.GetProperty("name").GetString()!).ToList();

    [Fact]
    public async Task CatalogsAndSchemasAreListedForAConnectionGivenByName()
    {
        await using var onboarding = await StartAsync();
        var (server, cli) = onboarding;

        var catalogs = await cli.RunAsync("connections", "catalogs", "warehouse");
        var schemas = await cli.RunAsync("connections", "schemas", "warehouse", "--catalog", _source.Archive, "--format", "json");

        Assert.Equal(ExitCodes.Success, catalogs.ExitCode);
        Assert.Contains(_source.Sales, catalogs.Stdout);
        Assert.Equal(ExitCodes.Success, schemas.ExitCode);
        Assert.Contains("y2020", JsonDocument.Parse(schemas.Stdout).RootElement.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task APatternSelectsSchemasAndDryRunShowsNamesWithoutCreating()
    {
        await using var onboarding = await StartAsync();
        var (server, cli) = onboarding;

        var dry = await cli.RunAsync("datastores", "create-multi", "--connection", "warehouse", "--catalog", _source.Sales,
            "--schema-pattern", "sales_*", "--name-template", "prod_{{ schema }}", "--team", "Analytics", "--dry-run");

        Assert.Equal(ExitCodes.Success, dry.ExitCode);
        Assert.Contains("prod_sales_eu", dry.Stdout);
        Assert.Contains("prod_sales_us", dry.Stdout);
        Assert.DoesNotContain("prod_hr", dry.Stdout);
        Assert.Contains("[DRY RUN] Would create 2 datastore(s)", dry.Stdout);
        Assert.Empty(await DatastoreNamesAsync(server));

        var real = await cli.RunAsync("datastores", "create-multi", "--connection", "warehouse", "--catalog", _source.Sales,
            "--schema-pattern", "sales_*", "--name-template", "prod_{{ schema }}", "--team", "Analytics", "--sync");

        Assert.Equal(ExitCodes.Success, real.ExitCode);
        Assert.Contains("Created 2 datastore(s)", real.Stdout);
        Assert.Equal(["prod_sales_eu", "prod_sales_us"], await DatastoreNamesAsync(server));

        // Names are unique regardless of case: a dry run with a template that reuses them says so, as the create would.
        var again = await cli.RunAsync("datastores", "create-multi", "--connection", "warehouse", "--catalog", _source.Sales,
            "--schemas", "sales_eu,hr", "--name-template", "PROD_{{ schema }}", "--team", "Analytics", "--dry-run", "--format", "json");
        Assert.Equal(ExitCodes.Failure, again.ExitCode);
        var errors = JsonDocument.Parse(again.Stdout).RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal("sales_eu", Assert.Single(errors).GetProperty("schema_name").GetString());
        Assert.Contains("a datastore named 'PROD_sales_eu' already exists", errors[0].GetProperty("error").GetString());
    }

    [Fact]
    public async Task ASchemaThatFailsValidationIsReportedAndTheExitCodeIsOne()
    {
        await using var onboarding = await StartAsync();
        var (server, cli) = onboarding;

        var result = await cli.RunAsync("datastores", "create-multi", "--connection", "warehouse", "--catalog", _source.Sales,
            "--schemas", "hr,restricted", "--name-template", "prod_{{schema}}", "--team", "Analytics", "--format", "json");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        var report = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Single(report.GetProperty("created").EnumerateArray());
        Assert.Equal("restricted", Assert.Single(report.GetProperty("errors").EnumerateArray()).GetProperty("schema_name").GetString());
        Assert.Equal(["prod_hr"], await DatastoreNamesAsync(server));
    }

    [Theory]
    [InlineData("--schemas", "hr", "--name-template", "prod")]
    [InlineData("--name-template", "prod_{{ schema }}")]
    [InlineData("--schemas", "hr", "--schema-pattern", "h*", "--name-template", "prod_{{ schema }}")]
    public async Task UsageErrorsExitWithTwoAndCreateNothing(params string[] args)
    {
        await using var onboarding = await StartAsync();
        var (server, cli) = onboarding;

        var result = await cli.RunAsync(["datastores", "create-multi", "--connection", "warehouse", "--team", "Analytics", .. args]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("error:", result.Stderr);
        Assert.Empty(await DatastoreNamesAsync(server));
    }

    [Fact]
    public async Task AnUnknownTeamIsRefusedBeforeAnySchemaIsValidated()
    {
        await using var onboarding = await StartAsync();
        var (server, cli) = onboarding;

        var result = await cli.RunAsync("datastores", "create-multi", "--connection", "warehouse", "--catalog", _source.Sales,
            "--schemas", "hr,finance", "--name-template", "prod_{{schema}}", "--team", "Analytcs");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("unknown team(s) 'Analytcs' (existing: ", result.Stderr);
        Assert.Contains("quarry teams create Analytcs", result.Stderr);
        // Nothing was validated: no per-schema table with an "ok" in it.
        Assert.DoesNotContain("ok", result.Stdout);
        Assert.Empty(await DatastoreNamesAsync(server));
    }
}
