namespace Quarry.Tests.Access;

/// <summary>
/// A connection's password and secret parameters are write-only: no response, log line, store byte or CLI output holds
/// them. The tests share one server per store (each on connections of its own), except the one that starts its own with
/// a secret key.
/// </summary>
public sealed class SecretTests(ServerPerStore servers) : IClassFixture<ServerPerStore>
{
    private const string Password = "Pw-9f3c1e7a-never-shown";
    private const string PrivateKey = "-----BEGIN KEY----- pk-51d0c2b8-never-shown";
    private const string NewPassword = "Pw-2-0b7e44d1-never-shown";

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task PasswordAndSecretParametersAppearInNoResponseLogStoreByteOrCliOutput(StoreKind kind)
    {
        var server = await servers.For(kind);
        var admin = server.Admin;
        var responses = new StringBuilder();

        var created = await admin.CreateAsync("/api/connections", new
        {
            name = "warehouse",
            type = "postgresql",
            host = "db.example.com",
            username = "reader",
            password = Password,
            database = "analytics",
            parameters = new Dictionary<string, object> { ["private_key"] = PrivateKey, ["sslmode"] = "require" },
        });
        responses.AppendLine(created.ToString());
        var id = created.GetProperty("id").GetInt32();
        Assert.True(created.GetProperty("password_set").GetBoolean());
        Assert.Equal(["private_key"], created.GetProperty("secret_parameters_set").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("require", created.GetProperty("parameters").GetProperty("sslmode").GetString());
        Assert.False(created.GetProperty("parameters").TryGetProperty("private_key", out _));

        responses.AppendLine((await admin.ReadAsync($"/api/connections/{id}")).ToString());
        responses.AppendLine((await admin.ReadAsync("/api/connections")).ToString());
        responses.AppendLine((await admin.ReadAsync("/api/connections?name=warehouse")).ToString());
        var updated = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/connections/{id}", new { password = NewPassword, port = 5433 });
        responses.AppendLine(updated.ToString());
        Assert.True(updated.GetProperty("password_set").GetBoolean());
        // A PUT that leaves the parameters out keeps the secret one.
        Assert.Equal(["private_key"], updated.GetProperty("secret_parameters_set").EnumerateArray().Select(p => p.GetString()));
        // A failed update (duplicate name) must not echo the body back either.
        await admin.CreateConnectionAsync("other");
        responses.AppendLine((await admin.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Put, $"/api/connections/{id}", new { name = "OTHER", password = Password })).ToString());

        var datastore = await admin.CreateDatastoreAsync("warehouse-ds", id);
        responses.AppendLine((await admin.ReadAsync($"/api/datastores/{datastore}")).ToString());

        using var cli = new CliRunner(server);
        var list = await cli.RunAsync("connections", "list", "--format", "json");
        var get = await cli.RunAsync("connections", "get", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--format", "json");
        var table = await cli.RunAsync("connections", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Equal(0, get.ExitCode);
        Assert.Contains("warehouse", table.Stdout);
        Assert.True(JsonDocument.Parse(get.Stdout).RootElement.GetProperty("password_set").GetBoolean());

        var store = await server.ReadStoreBytesAsync();
        Assert.NotEmpty(store);
        Assert.Contains("db.example.com", Encoding.UTF8.GetString(store));
        foreach (var secret in new[] { Password, PrivateKey, NewPassword })
        {
            Assert.DoesNotContain(secret, responses.ToString());
            Assert.DoesNotContain(secret, server.Logs.All);
            Assert.DoesNotContain(secret, list.Output + get.Output + table.Output);
            Assert.Equal(-1, store.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
        }
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task InstancesShareSecretsThroughQuarrySecretKeyAndAWrongKeyStopsTheStart(StoreKind kind)
    {
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var server = await QuarryTestServer.StartAsync(kind, o => o.SecretKey = key);
        Assert.False(File.Exists(Path.Combine(server.DataDirectory, "secret.key")));
        var id = (await server.Admin.CreateAsync("/api/connections", new { name = "w", type = "postgresql", host = "h", username = "u", password = Password })).GetProperty("id").GetInt32();

        await using (var sibling = await server.StartSiblingAsync(o => o.SecretKey = key))
            Assert.True((await sibling.Admin.ReadAsync($"/api/connections/{id}")).GetProperty("password_set").GetBoolean());

        var other = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => server.StartSiblingAsync(o => o.SecretKey = other));
        Assert.Contains("QUARRY_SECRET_KEY", refused.Message);
        var notBase64 = await Assert.ThrowsAsync<InvalidOperationException>(() => server.StartSiblingAsync(o => o.SecretKey = "not a key!"));
        Assert.Contains("openssl rand -base64 32", notBase64.Message);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task SecretParametersSurviveAPutOfTheParametersAClientCanSeeAndNullRemovesOne(StoreKind kind)
    {
        var server = await servers.For(kind);
        var admin = server.Admin;
        var created = await admin.CreateAsync("/api/connections", new
        {
            name = "odbc", type = "sqlite", path = "/tmp/none.db",
            parameters = new Dictionary<string, object> { ["pwd"] = PrivateKey, ["client_key"] = Password, ["sslmode"] = "require", ["keyspace"] = "ks" },
        });
        var id = created.GetProperty("id").GetInt32();
        // ODBC's pwd and a *_key are secrets: write-only. A keyspace is not.
        Assert.Equal(["client_key", "pwd"], created.GetProperty("secret_parameters_set").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["keyspace", "sslmode"], created.GetProperty("parameters").EnumerateObject().Select(p => p.Name).Order());

        // Read, change a visible parameter, send the map back: the secret ones it never held are kept.
        var updated = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/connections/{id}",
            new { parameters = new Dictionary<string, object> { ["sslmode"] = "disable", ["keyspace"] = "ks" } });
        Assert.Equal(["client_key", "pwd"], updated.GetProperty("secret_parameters_set").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("disable", updated.GetProperty("parameters").GetProperty("sslmode").GetString());

        var removed = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/connections/{id}",
            new { parameters = new Dictionary<string, object?> { ["sslmode"] = "disable", ["pwd"] = null } });
        Assert.Equal(["client_key"], removed.GetProperty("secret_parameters_set").EnumerateArray().Select(p => p.GetString()));
        Assert.False(removed.GetProperty("parameters").TryGetProperty("keyspace", out _));
        Assert.DoesNotContain(PrivateKey, created.ToString() + updated + removed);
        Assert.DoesNotContain(Password, created.ToString() + updated + removed);
    }

    [Fact]
    public async Task AShortPasswordIsNotMaskedInsideTheWordsOfAnErrorMessage()
    {
        // Masking every "a" for the password "a" garbles the message and spells out which letters the password has.
        var server = await servers.For(StoreKind.Sqlite);
        var builder = TestPostgres.Builder;
        var (status, body, _) = await server.Admin.SendAsync(HttpMethod.Post, "/api/connections/test",
            new { type = "postgresql", host = builder.Host, port = builder.Port, username = builder.Username, password = "a", database = "no_such_database_here" });

        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var message = body.GetProperty("message").GetString()!;
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Contains("no_such_database_here", message);
        Assert.DoesNotContain("***", message);
    }
}
