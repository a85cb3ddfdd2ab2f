namespace Quarry.Tests.Api;

/// <summary>GET /api/connector-types: what the wizard and clients read instead of knowing the type names.</summary>
public sealed class ConnectorTypesApiTests
{
    [Fact]
    public async Task AMemberSeesEveryConnectorTypeWithItsFieldsCatalogLevelAndDefaults()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var (_, token) = await server.CreateUserAsync("Mo Member", Role.Member);

        var types = await QuarryTestServer.GetJsonAsync<JsonElement[]>(server.Client(token), "/api/connector-types");

        Assert.Equal(["files", "mysql", "postgresql", "sqlite"], types.Select(t => t.GetProperty("type").GetString()));
        var mysql = types.Single(t => t.GetProperty("type").GetString() == "mysql");
        Assert.Equal(["mariadb"], mysql.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(3306, mysql.GetProperty("default_port").GetInt32());
        Assert.Equal("none", mysql.GetProperty("catalog_level").GetString());
        Assert.Contains("databases are its schemas", mysql.GetProperty("no_catalog_reason").GetString());
        Assert.Equal(["host", "username"], mysql.GetProperty("required_fields").EnumerateArray().Select(f => f.GetProperty("field").GetString()));
        Assert.Equal(["host", "port", "username", "password"], mysql.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(["catalog_read", "enrichment_write"], mysql.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));

        var postgres = types.Single(t => t.GetProperty("type").GetString() == "postgresql");
        Assert.Equal("catalog", postgres.GetProperty("catalog_level").GetString());
        var files = types.Single(t => t.GetProperty("type").GetString() == "files");
        Assert.Equal(["path"], files.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(JsonValueKind.Null, files.GetProperty("default_port").ValueKind);
        var sqlite = types.Single(t => t.GetProperty("type").GetString() == "sqlite");
        Assert.Equal("main", sqlite.GetProperty("default_schema").GetString());
    }
}
