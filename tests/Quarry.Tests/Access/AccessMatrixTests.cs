namespace Quarry.Tests.Access;

/// <summary>
/// PRODUCT.md's access rules as one table: every endpoint × every kind of caller → the status it gets.
/// The datastore under test sits in a non-Public team T; Viewer and Editor are permissions in T.
/// </summary>
public sealed class AccessMatrixTests
{
    public enum Caller { NoToken, MemberInNoTeam, MemberViewer, MemberEditor, Manager, Admin }

    private const int Ok = 200, Created = 201, NoContent = 204, Unauthorized = 401, Forbidden = 403, NotFound = 404;

    /// <summary>What a row's request may use: ids made before the run, the caller, and the admin for fresh setup.</summary>
    private sealed record World(QuarryTestServer Server, int Connection, int Datastore, int PublicDatastore, int Enrichment, int Group, int TeamT, int OtherUser);

    private sealed record Row(string Endpoint, Func<World, Caller, int, Task<(HttpMethod, string, object?)>> Request, int[] Expected);

    private static int _fresh;

    private static string Fresh(string prefix) => $"{prefix}-{Interlocked.Increment(ref _fresh)}";

    private static Row R(string endpoint, HttpMethod method, Func<World, string> path, int[] expected, Func<World, object?>? body = null) =>
        new(endpoint, (w, _, _) => Task.FromResult((method, path(w), body?.Invoke(w))), expected);

    private static Row R(string endpoint, Func<World, Caller, int, Task<(HttpMethod, string, object?)>> request, int[] expected) => new(endpoint, request, expected);

    //                                                              no token      no team    Viewer     Editor     Manager    Admin
    private static readonly int[] Anyone = [Ok, Ok, Ok, Ok, Ok, Ok];
    private static readonly int[] Members = [Unauthorized, Ok, Ok, Ok, Ok, Ok];
    // A datastore outside the caller's teams answers as one that does not exist (docs/api.md "Roles and teams").
    private static readonly int[] TeamReaders = [Unauthorized, NotFound, Ok, Ok, Ok, Ok];
    private static readonly int[] TeamEditors = [Unauthorized, NotFound, Forbidden, Ok, Ok, Ok];
    private static readonly int[] ManagersCreate = [Unauthorized, Forbidden, Forbidden, Forbidden, Created, Created];
    private static readonly int[] ManagersUpdate = [Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Ok];
    private static readonly int[] ManagersDelete = [Unauthorized, Forbidden, Forbidden, Forbidden, NoContent, NoContent];
    private static readonly int[] AdminsRead = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Ok];
    private static readonly int[] AdminsCreate = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Created];
    private static readonly int[] AdminsUpdate = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Ok];
    private static readonly int[] MembersCreate = [Unauthorized, Created, Created, Created, Created, Created];
    private static readonly int[] MembersDelete = [Unauthorized, NoContent, NoContent, NoContent, NoContent, NoContent];

    private static readonly Row[] Rows =
    [
        R("GET /api/status", HttpMethod.Get, _ => "/api/status", Anyone),
        R("GET /api/me", HttpMethod.Get, _ => "/api/me", Members),

        R("GET /api/connections", HttpMethod.Get, _ => "/api/connections", Members),
        R("GET /api/connections/{id}", HttpMethod.Get, w => $"/api/connections/{w.Connection}", Members),
        R("POST /api/connections", HttpMethod.Post, _ => "/api/connections", ManagersCreate,
            _ => new { name = Fresh("conn"), type = "postgresql", host = "h", username = "u", database = "d" }),
        R("PUT /api/connections/{id}", HttpMethod.Put, w => $"/api/connections/{w.Connection}", ManagersUpdate, _ => new { port = 5433 }),
        R("DELETE /api/connections/{id}", async (w, _, _) =>
            (HttpMethod.Delete, $"/api/connections/{await w.Server.Admin.CreateConnectionAsync(Fresh("unused"))}", null), ManagersDelete),

        R("GET /api/datastores", HttpMethod.Get, _ => "/api/datastores", Members),
        R("GET /api/datastores/{id} (team T)", HttpMethod.Get, w => $"/api/datastores/{w.Datastore}", TeamReaders),
        R("GET /api/datastores/{id} (Public)", HttpMethod.Get, w => $"/api/datastores/{w.PublicDatastore}", Members),
        R("POST /api/datastores", HttpMethod.Post, _ => "/api/datastores", ManagersCreate,
            w => new { name = Fresh("ds"), connection_id = w.Connection, database = "d", schema = "s", teams = new[] { "T" } }),
        R("PUT /api/datastores/{id} (team T)", HttpMethod.Put, w => $"/api/datastores/{w.Datastore}", TeamEditors, _ => new { description = Fresh("desc") }),
        R("PUT /api/datastores/{id} (Public)", HttpMethod.Put, w => $"/api/datastores/{w.PublicDatastore}", ManagersUpdate,
            _ => new { description = Fresh("desc") }),
        R("DELETE /api/datastores/{id}", async (w, _, _) =>
            (HttpMethod.Delete, $"/api/datastores/{await w.Server.Admin.CreateDatastoreAsync(Fresh("doomed"), w.Connection, ["T"])}", null), ManagersDelete),
        R("PATCH /api/datastores/{id}/enrichment/{enrich_id}", HttpMethod.Patch, w => $"/api/datastores/{w.Datastore}/enrichment/{w.Enrichment}", TeamEditors),
        R("DELETE /api/datastores/{id}/enrichment", HttpMethod.Delete, w => $"/api/datastores/{w.Datastore}/enrichment", TeamEditors),

        R("GET /api/datastore-groups", HttpMethod.Get, _ => "/api/datastore-groups", Members),
        R("GET /api/datastore-groups/{id}", HttpMethod.Get, w => $"/api/datastore-groups/{w.Group}", Members),
        R("POST /api/datastore-groups", HttpMethod.Post, _ => "/api/datastore-groups", ManagersCreate, _ => new { name = Fresh("group") }),
        R("PUT /api/datastore-groups/{id}", HttpMethod.Put, w => $"/api/datastore-groups/{w.Group}", ManagersUpdate, _ => new { description = Fresh("d") }),
        R("DELETE /api/datastore-groups/{id}", async (w, _, _) =>
            (HttpMethod.Delete, $"/api/datastore-groups/{await w.Server.Admin.CreateIdAsync("/api/datastore-groups", new { name = Fresh("g") })}", null), ManagersDelete),

        R("GET /api/teams", HttpMethod.Get, _ => "/api/teams", Members),
        R("GET /api/teams/{id}", HttpMethod.Get, w => $"/api/teams/{w.TeamT}", Members),
        R("POST /api/teams", HttpMethod.Post, _ => "/api/teams", ManagersCreate, _ => new { name = Fresh("team") }),
        R("DELETE /api/teams/{id}", async (w, _, _) =>
            (HttpMethod.Delete, $"/api/teams/{await w.Server.Admin.CreateIdAsync("/api/teams", new { name = Fresh("t") })}", null), ManagersDelete),
        R("POST /api/teams/{id}/members", HttpMethod.Post, w => $"/api/teams/{w.TeamT}/members", ManagersUpdate,
            w => new { user_id = w.OtherUser, permission = "Viewer" }),
        R("DELETE /api/teams/{id}/members/{user_id}", async (w, _, _) =>
        {
            var team = await w.Server.Admin.CreateIdAsync("/api/teams", new { name = Fresh("t") });
            await w.Server.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/teams/{team}/members", new { user_id = w.OtherUser, permission = "Editor" });
            return (HttpMethod.Delete, $"/api/teams/{team}/members/{w.OtherUser}", null);
        }, ManagersDelete),

        R("GET /api/users", HttpMethod.Get, _ => "/api/users", AdminsRead),
        R("GET /api/users/{id}", HttpMethod.Get, w => $"/api/users/{w.OtherUser}", AdminsRead),
        R("POST /api/users", HttpMethod.Post, _ => "/api/users", AdminsCreate, _ => new { name = Fresh("user"), role = "Member" }),
        R("PUT /api/users/{id}", HttpMethod.Put, w => $"/api/users/{w.OtherUser}", AdminsUpdate, _ => new { email = Fresh("e") + "@example.com" }),
        R("POST /api/users/{own id}/tokens", (w, _, self) => Task.FromResult((HttpMethod.Post, $"/api/users/{self}/tokens", (object?)new { name = Fresh("tok") })), MembersCreate),
        R("POST /api/users/{other id}/tokens", HttpMethod.Post, w => $"/api/users/{w.OtherUser}/tokens", AdminsCreate, _ => new { name = Fresh("tok") }),
        R("GET /api/tokens", HttpMethod.Get, _ => "/api/tokens", Members),
        R("DELETE /api/tokens/{own id}", async (w, caller, self) =>
        {
            if (caller == Caller.NoToken) return (HttpMethod.Delete, "/api/tokens/1", null);
            // Admin-issued, so the row stays about deleting, not creating; the caller deletes its own token.
            var token = await w.Server.Admin.CreateAsync($"/api/users/{self}/tokens", new { name = Fresh("spare") });
            return (HttpMethod.Delete, $"/api/tokens/{token.GetProperty("id").GetInt32()}", null);
        }, MembersDelete),
    ];

    /// <summary>What each row asks about, e.g. <c>GET /api/datastores/{id} (team T)</c>, for <see cref="AccessMatrixCoverageTests"/>.</summary>
    internal static IEnumerable<string> Endpoints => Rows.Select(r => r.Endpoint);

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task EveryEndpointAnswersEachKindOfCallerAsTheAccessRulesSay(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var admin = server.Admin;
        var teamT = await admin.CreateIdAsync("/api/teams", new { name = "T" });
        var connection = await admin.CreateConnectionAsync("warehouse");
        var world = new World(
            server,
            connection,
            await admin.CreateDatastoreAsync("in-team-t", connection, ["T"]),
            await admin.CreateDatastoreAsync("public-one", connection),
            await admin.CreateDatastoreAsync("enrichment", connection, ["T"], enrichmentOnly: true),
            await admin.CreateIdAsync("/api/datastore-groups", new { name = "group" }),
            teamT,
            (await server.CreateUserAsync("bystander", Role.Member)).Id);

        var callers = new Dictionary<Caller, (int Id, HttpClient Client)>
        {
            [Caller.NoToken] = (0, server.Client(null)),
        };
        foreach (var (caller, role, permission) in new[]
                 {
                     (Caller.MemberInNoTeam, Role.Member, (string?)null), (Caller.MemberViewer, Role.Member, "Viewer"),
                     (Caller.MemberEditor, Role.Member, "Editor"), (Caller.Manager, Role.Manager, null), (Caller.Admin, Role.Admin, null),
                 })
        {
            var (id, token) = await server.CreateUserAsync("as-" + caller.ToString().ToLowerInvariant(), role);
            if (permission is not null)
                await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/teams/{teamT}/members", new { user_id = id, permission });
            callers[caller] = (id, server.Client(token));
        }

        var mismatches = new StringBuilder();
        foreach (var row in Rows)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                var (id, client) = callers[caller];
                var (method, path, body) = await row.Request(world, caller, id);
                MatrixAnswers.Check(mismatches, $"{row.Endpoint} as {caller}", row.Expected[(int)caller], await client.SendAsync(method, path, body));
            }
        }
        Assert.True(mismatches.Length == 0, "\n" + mismatches);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AnUnknownOrMalformedTokenGets401WithAProblemSayingWhatToDo(StoreKind kind)
    {
        await using var server = await QuarryTestServer.StartAsync(kind);
        var unknown = await server.Client("qry_not-a-real-token").ExpectProblemAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/api/connections");
        Assert.Contains("not valid", unknown.GetProperty("detail").GetString());

        var basic = server.Client(null);
        basic.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "YWRtaW46YWRtaW4=");
        await basic.ExpectProblemAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/api/connections");

        var none = await server.Client(null).ExpectProblemAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/api/datastores");
        Assert.Contains("Authorization: Bearer", none.GetProperty("detail").GetString());
    }
}
