namespace Quarry.Tests.Api;

/// <summary>What a client gets for requests the server cannot use: a problem that says what to fix.</summary>
public sealed class RequestErrorsTests(ServerPerStore servers) : IClassFixture<ServerPerStore>
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task UnknownJsonFieldsAreIgnored(StoreKind kind)
    {
        var server = await servers.For(kind);
        var admin = server.Admin;
        var connection = await admin.CreateIdAsync("/api/connections",
            new { name = "warehouse", type = "postgresql", host = "h", username = "u", database = "d", jdbc_fetch_size = 1000, extras = new { a = 1 } });
        var datastore = await admin.CreateAsync("/api/datastores",
            new { name = "sales", connection_id = connection, schema = "public", high_count_rollup_threshold = 10, store_type = "jdbc" });
        await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/datastores/{datastore.GetProperty("id").GetInt32()}",
            "{\"description\":\"x\",\"something_new\":[1,2,3]}");
        await admin.CreateIdAsync("/api/teams", new { name = "painters", colour = "blue" });
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task MalformedJsonGets400SayingWhereTheBodyIsWrong(StoreKind kind)
    {
        var server = await servers.For(kind);
        var admin = server.Admin;
        var broken = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/connections", "{\"name\": \"x\", \"type\": ");
        Assert.Contains("not valid JSON", broken.GetProperty("detail").GetString());
        var wrongType = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/connections", "{\"name\": \"x\", \"port\": \"five\"}");
        Assert.Contains("'port' must be a whole number (line 1", wrongType.GetProperty("detail").GetString());
        var badEnum = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/users", "{\"name\": \"x\", \"role\": \"Owner\"}");
        Assert.Contains("'role' must be one of: Member, Manager, Admin", badEnum.GetProperty("detail").GetString());
        var empty = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/datastores", "");
        Assert.Contains("body", empty.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(server.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ABodyOfTheWrongShapeGets400SayingWhatItMustBeWithoutNamingServerTypes(StoreKind kind)
    {
        var server = await servers.For(kind);
        var admin = server.Admin;
        var refused = new (string Path, string Body, string Expected)[]
        {
            ("/api/quality-checks/bulk", "{\"rule\": \"notNull\"}", "The request body is not valid JSON for this endpoint: it must be a list (line 1"),
            ("/api/quality-checks/bulk", "[1, 2]", "The request body is not valid JSON for this endpoint: '[0]' must be an object (line 1"),
            ("/api/connections", "[1]", "The request body is not valid JSON for this endpoint: it must be an object (line 1"),
            ("/api/quality-checks/bulk", "[{\"rule\": \"notNull\", \"fields\": \"amount\"}]", "'[0].fields' must be a list (line 1"),
        };
        foreach (var (path, body, expected) in refused)
        {
            var detail = (await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, path, body)).GetProperty("detail").GetString()!;
            Assert.Contains(expected, detail);
            Assert.DoesNotContain("System.", detail);
            Assert.DoesNotContain("Quarry.", detail);
        }
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ANumberWhereAnEnumNameBelongsGets400NamingTheFieldAndItsNamesAndChangesNothing(StoreKind kind)
    {
        var server = await servers.For(kind);
        var admin = server.Admin;
        var user = await admin.CreateIdAsync("/api/users", new { name = "someone", role = "Member" });
        var team = await admin.CreateIdAsync("/api/teams", new { name = "t" });

        var refused = new (HttpMethod Method, string Path, string Body, string Expected)[]
        {
            (HttpMethod.Post, "/api/users", "{\"name\": \"x\", \"role\": 99}", "'role' must be one of: Member, Manager, Admin"),
            (HttpMethod.Post, "/api/users", "{\"name\": \"x\", \"role\": 2}", "'role' must be one of: Member, Manager, Admin"),
            (HttpMethod.Post, "/api/users", "{\"name\": \"x\", \"role\": \"2\"}", "'role' must be one of: Member, Manager, Admin"),
            (HttpMethod.Put, $"/api/users/{user}", "{\"role\": 99}", "'role' must be one of: Member, Manager, Admin"),
            (HttpMethod.Post, $"/api/teams/{team}/members", $"{{\"user_id\": {user}, \"permission\": -1}}", "'permission' must be one of: Viewer, Author, Editor"),
            (HttpMethod.Post, $"/api/teams/{team}/members", $"{{\"user_id\": {user}, \"permission\": 2}}", "'permission' must be one of: Viewer, Author, Editor"),
        };
        foreach (var (method, path, body, expected) in refused)
        {
            var problem = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, method, path, body);
            Assert.Contains(expected, problem.GetProperty("detail").GetString());
        }
        var role = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/users?role=99");
        Assert.Equal("The query parameter 'role' must be one of: Member, Manager, Admin; got '99'.", role.GetProperty("detail").GetString());

        Assert.Equal("Member", (await admin.ReadAsync($"/api/users/{user}")).GetProperty("role").GetString());
        Assert.Equal(0, (await admin.ReadAsync($"/api/teams/{team}")).GetProperty("members").GetArrayLength());
        Assert.DoesNotContain("\"x\"", (await admin.ReadAsync("/api/users?name=x")).GetRawText());
        // Names still work, in any case.
        await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/teams/{team}/members", new { user_id = user, permission = "editor" });
        Assert.Single((await admin.ReadAsync("/api/users?role=member")).GetProperty("items").EnumerateArray(), u => u.GetProperty("name").GetString() == "someone");
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AQueryParameterOfTheWrongKindOrAMissingBodyGets400SayingWhatToSend(StoreKind kind)
    {
        var server = await servers.For(kind);
        var admin = server.Admin;

        var page = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/datastores?page=abc");
        var flag = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/datastores?enrichment_only=maybe");
        var role = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/users?role=Boss");
        var noBody = await admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/connections");

        Assert.Equal("The query parameter 'page' must be a whole number; got 'abc'.", page.GetProperty("detail").GetString());
        Assert.Equal("The query parameter 'enrichment_only' must be true or false; got 'maybe'.", flag.GetProperty("detail").GetString());
        Assert.Equal("The query parameter 'role' must be one of: Member, Manager, Admin; got 'Boss'.", role.GetProperty("detail").GetString());
        Assert.Equal("This endpoint needs a JSON body (Content-Type: application/json); none was sent.", noBody.GetProperty("detail").GetString());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AnUnknownApiPathGetsAProblem404(StoreKind kind)
    {
        var server = await servers.For(kind);
        var unknown = await server.Admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/api/nothing-here");
        Assert.Contains("/api/openapi.json", unknown.GetProperty("detail").GetString());
        await server.Admin.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/api/connections/12345");
    }

    [Fact]
    public async Task ABodyThatIsNotJsonGets415AndAWrongMethodGets405BothAsProblems()
    {
        var server = await servers.For(StoreKind.Sqlite);
        using var text = new StringContent("name=warehouse", System.Text.Encoding.UTF8, "text/plain");
        using var response = await server.Admin.PostAsync("/api/connections", text);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Contains("application/json", StringComparison.Ordinal), body);

        var method = await server.Admin.ExpectProblemAsync(HttpStatusCode.MethodNotAllowed, HttpMethod.Patch, "/api/connections");
        Assert.Contains("PATCH", method.GetProperty("detail").GetString());
    }
}
