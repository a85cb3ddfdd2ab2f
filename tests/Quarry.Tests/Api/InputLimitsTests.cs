using Quarry.Server.Errors;

namespace Quarry.Tests.Api;

/// <summary>What the server refuses to store because it is too large or holds a NUL character, and what it says instead.</summary>
public sealed class InputLimitsTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ADescriptionTooManyTagsOrALongTagGets400NamingTheLimitAndNothingIsStored(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var admin = server.Admin;
        var connection = await admin.CreateConnectionAsync("warehouse");
        var id = await admin.CreateDatastoreAsync("sales", connection);

        var description = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"/api/datastores/{id}",
            new { description = new string('x', InputLimits.DescriptionLength + 1) });
        var tags = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"/api/datastores/{id}",
            new { tags = Enumerable.Range(0, InputLimits.TagCount + 1).Select(i => $"tag-{i}").ToArray() });
        var longTag = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/datastores",
            new { name = "orders", connection_id = connection, database = "analytics", schema = "public", tags = new[] { new string('t', InputLimits.TagLength + 1) } });
        var longName = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/connections",
            new { name = new string('n', InputLimits.NameLength + 1), type = "sqlite", path = "/tmp/x.db" });

        Assert.Equal("must be at most 10,000 characters; it has 10,001.", description.GetProperty("errors").GetProperty("description")[0].GetString());
        Assert.Equal("at most 100 tags are allowed; 101 given.", tags.GetProperty("errors").GetProperty("tags")[0].GetString());
        Assert.Equal("each tag must be at most 100 characters; one has 101.", longTag.GetProperty("errors").GetProperty("tags")[0].GetString());
        Assert.Equal("must be at most 200 characters; it has 201.", longName.GetProperty("errors").GetProperty("name")[0].GetString());
        var stored = await admin.ReadAsync($"/api/datastores/{id}");
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("description").ValueKind);
        Assert.Equal(0, stored.GetProperty("tags").GetArrayLength());
        Assert.Equal(1, (await admin.ReadAsync("/api/datastores")).GetProperty("total").GetInt32());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ABodyLargerThanAnEndpointTakesGets413SayingTheLimitWhileConfigApplyTakesLargeFolders(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var admin = server.Admin;
        var padding = new string('p', (int)InputLimits.BodyBytes);

        var tooLarge = await admin.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge, HttpMethod.Post, "/api/teams", new { name = "t", padding });
        Assert.Equal("The request body is larger than /api/teams accepts: at most 1 MiB (1,048,576 bytes). Send less at once (config plan and apply take up to 64 MiB (67,108,864 bytes)).",
            tooLarge.GetProperty("detail").GetString());

        // Two thousand connections with long descriptions in their datastores: several megabytes, one apply.
        var connections = Enumerable.Range(0, 2000).Select(i => new { name = $"c{i}", type = "sqlite", path = $"/tmp/c{i}.db" }).ToArray();
        var datastores = Enumerable.Range(0, 2000).Select(i => new { name = $"d{i}", connection = $"c{i}", description = new string('d', 1000) }).ToArray();
        var applied = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/apply", new { connections, datastores });
        Assert.True(applied.GetProperty("applied").GetBoolean(), applied.GetProperty("message").ToString());
        Assert.Equal(2000, (await admin.ReadAsync("/api/datastores?size=1")).GetProperty("total").GetInt32());
        Assert.DoesNotContain(server.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ANulCharacterInAnyTextGets400NamingTheFieldAndIsNeverStored(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var admin = server.Admin;
        var connection = await admin.CreateConnectionAsync("warehouse");
        var id = await admin.CreateDatastoreAsync("sales", connection);

        var description = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"/api/datastores/{id}", "{\"description\": \"a\\u0000b\"}");
        var tag = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"/api/datastores/{id}", "{\"tags\": [\"ok\", \"b\\u0000d\"]}");
        var parameter = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/connections",
            "{\"name\": \"other\", \"type\": \"sqlite\", \"path\": \"/tmp/o.db\", \"parameters\": {\"mode\": \"r\\u0000o\"}}");
        var config = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/config/apply",
            "{\"datastores\": [{\"name\": \"x\\u0000\", \"connection\": \"warehouse\"}]}");

        Assert.StartsWith("'description' contains the NUL character (\\u0000)", description.GetProperty("detail").GetString());
        Assert.StartsWith("'tags[1]' contains the NUL character", tag.GetProperty("detail").GetString());
        Assert.StartsWith("'parameters", parameter.GetProperty("detail").GetString());
        Assert.StartsWith("'datastores[0].name' contains the NUL character", config.GetProperty("detail").GetString());
        var query = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/datastores?search=a%00b");
        Assert.Equal("search: contains the NUL character (\\u0000), which no Quarry text may hold; remove it.", query.GetProperty("detail").GetString());
        Assert.Equal(JsonValueKind.Null, (await admin.ReadAsync($"/api/datastores/{id}")).GetProperty("description").ValueKind);
        Assert.Equal(1, (await admin.ReadAsync("/api/connections")).GetProperty("total").GetInt32());
        Assert.DoesNotContain(server.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task UpdatingADatastoreWithManyTagsAndTeamsLoadsThemWithoutMultiplyingRows(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var admin = server.Admin;
        var teams = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await admin.CreateIdAsync("/api/teams", new { name = $"team-{i}" });
            teams.Add($"team-{i}");
        }
        var connection = await admin.CreateConnectionAsync("warehouse");
        var tags = Enumerable.Range(0, InputLimits.TagCount).Select(i => $"tag-{i}").ToArray();
        var id = await admin.CreateDatastoreAsync("sales", connection, [.. teams], tags);

        var updated = await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/datastores/{id}", new { description = "orders" });

        Assert.Equal(InputLimits.TagCount, updated.GetProperty("tags").GetArrayLength());
        Assert.Equal(5, updated.GetProperty("teams").GetArrayLength());
        // EF Core warns when one query loads several collections at once (tags × teams rows); the store never does that.
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("QuerySplittingBehavior", StringComparison.Ordinal));
    }
}
