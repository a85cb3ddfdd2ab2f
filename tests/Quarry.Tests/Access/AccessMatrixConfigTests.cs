namespace Quarry.Tests.Access;

/// <summary>
/// Config plan and apply answer 200 to every Member and decide access per item (docs/config-import.md "Permissions",
/// docs/full-config.md "Access"). This is that per-item table, and proof that a refused item shows nothing of a
/// datastore the caller may not read.
/// </summary>
public sealed class AccessMatrixConfigTests
{
    private const string Update = "update", Refused = "forbidden";
    // A Member in none of the datastore's teams is answered as for a datastore that does not exist (AccessMatrixOracleTests):
    // a new datastore with no connection fails, and checks of a datastore the config itself creates are planned as creates.
    private const string AsIfAbsent = "failed", CreateWithIt = "create";

    //                                                      no token  no team      Viewer   Author   Editor   Manager  Admin
    private static readonly string?[] DatastoreUpdate = [null, AsIfAbsent, Refused, Refused, Update, Update, Update];
    private static readonly string?[] CheckUpdate = [null, CreateWithIt, Refused, Update, Update, Update, Update];

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ConfigPlanRefusesEachItemTheCallerMayNotChangeAndShowsNoOneElsesValues(StoreKind kind)
    {
        await using var world = await FeatureAccessWorld.StartAsync(kind);
        var admin = world.Server.Admin;
        await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/datastores/{world.Datastore}", new { description = "team-only-notes" });
        await admin.CreateIdAsync("/api/quality-checks",
            new { rule = "notNull", container_id = world.Orders, fields = new[] { "status" }, uid = "status-known", description = "team-only-check" });
        var desired = new
        {
            datastores = new[] { new { name = "in-team-t", description = "planned-notes" } },
            checks = new[] { new { datastore = "in-team-t", container = "orders", rule = "notNull", fields = new[] { "status" }, uid = "status-known", description = "planned-check" } },
        };

        var mismatches = new StringBuilder();
        foreach (var caller in Enum.GetValues<FeatureCaller>())
        {
            var (status, plan, _) = await world.Callers[caller].Client.SendAsync(HttpMethod.Post, "/api/config/plan", desired);
            if (caller == FeatureCaller.NoToken)
            {
                if (status != HttpStatusCode.Unauthorized) mismatches.AppendLine($"plan as {caller}: expected 401, got {(int)status}");
                continue;
            }
            if (status != HttpStatusCode.OK) { mismatches.AppendLine($"plan as {caller}: expected 200, got {(int)status} {plan}"); continue; }
            Expect(caller, plan, "datastore", DatastoreUpdate[(int)caller]!, mismatches);
            Expect(caller, plan, "quality_check", CheckUpdate[(int)caller]!, mismatches);
            if (caller == FeatureCaller.MemberInNoTeam && (plan.GetRawText().Contains("team-only-notes") || plan.GetRawText().Contains("team-only-check")))
                mismatches.AppendLine($"plan as {caller} shows values of a datastore outside its teams: {plan}");
        }
        Assert.True(mismatches.Length == 0, "\n" + mismatches);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ConfigApplyByAMemberWithoutTheRightWritesNothing(StoreKind kind)
    {
        await using var world = await FeatureAccessWorld.StartAsync(kind);
        var desired = new { datastores = new[] { new { name = "in-team-t", description = "applied-notes" } } };
        foreach (var caller in new[] { FeatureCaller.MemberInNoTeam, FeatureCaller.MemberViewer, FeatureCaller.MemberAuthor })
        {
            var result = await world.Callers[caller].Client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/apply", desired);
            Assert.False(result.GetProperty("applied").GetBoolean(), $"apply as {caller}: {result}");
        }
        var untouched = await world.Server.Admin.ReadAsync($"/api/datastores/{world.Datastore}");
        Assert.NotEqual("applied-notes", untouched.GetProperty("description").ValueKind == JsonValueKind.String ? untouched.GetProperty("description").GetString() : null);

        var applied = await world.Callers[FeatureCaller.MemberEditor].Client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/apply", desired);
        Assert.True(applied.GetProperty("applied").GetBoolean(), applied.ToString());
        Assert.Equal("applied-notes", (await world.Server.Admin.ReadAsync($"/api/datastores/{world.Datastore}")).GetProperty("description").GetString());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ConfigPlanGivesAMemberNoWayToTellWhetherAGuessedPasswordIsTheStoredOne(StoreKind kind)
    {
        await using var world = await FeatureAccessWorld.StartAsync(kind);
        await world.Server.Admin.CreateIdAsync("/api/connections", Guarded("right-pw", "key-right"));

        foreach (var caller in new[] { FeatureCaller.MemberInNoTeam, FeatureCaller.MemberEditor })
        {
            var client = world.Callers[caller].Client;
            var right = await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/plan", new { connections = new[] { Guarded("right-pw", "key-right") } });
            var wrong = await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/plan", new { connections = new[] { Guarded("wrong-pw", "key-wrong") } });
            Assert.Equal(right.GetProperty("items").GetRawText(), wrong.GetProperty("items").GetRawText());
            Assert.Equal("unchanged", wrong.GetProperty("items")[0].GetProperty("action").GetString());
        }

        // Whoever may change the connection still gets the comparison the plan exists for.
        var manager = await world.Callers[FeatureCaller.Manager].Client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/plan",
            new { connections = new[] { Guarded("wrong-pw", "key-wrong") } });
        var changes = manager.GetProperty("items")[0].GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("field").GetString()).ToList();
        Assert.Equal(["parameters.api_key", "password"], changes.Order());
        Assert.DoesNotContain("right-pw", manager.GetRawText());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ConfigPruneNamesNothingOfADatastoreOutsideTheCallersTeams(StoreKind kind)
    {
        await using var world = await FeatureAccessWorld.StartAsync(kind);
        var recorded = await world.Server.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/apply", new
        {
            @namespace = "shared",
            datastores = new object[] { new { name = "in-team-t" }, new { name = "hidden-ds", connection = "source", schema = "main", teams = new[] { "T" } } },
            checks = new[] { new { datastore = "in-team-t", container = "orders", rule = "notNull", fields = new[] { "status" }, uid = "hidden-check-name" } },
        });
        Assert.True(recorded.GetProperty("applied").GetBoolean(), recorded.ToString());
        var probe = new
        {
            @namespace = "shared",
            prune = new[] { "datastore", "quality_check" },
            checks = new[] { new { datastore = "in-team-t", container = "orders", rule = "notNull", fields = new[] { "amount" }, uid = "probe" } },
        };

        var outsider = await world.Callers[FeatureCaller.MemberInNoTeam].Client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/plan", probe);
        Assert.DoesNotContain("hidden-ds", outsider.GetRawText());
        Assert.DoesNotContain("hidden-check-name", outsider.GetRawText());
        // The same plan by a Manager does list both for deletion: the probe would have found them.
        var manager = await world.Callers[FeatureCaller.Manager].Client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/plan", probe);
        Assert.Contains("hidden-ds", manager.GetRawText());
        Assert.Contains("hidden-check-name", manager.GetRawText());
    }

    private static object Guarded(string password, string apiKey) => new
    {
        name = "guarded", type = "postgresql", host = "db.example.com", port = 5432, username = "reader", password, database = "analytics",
        parameters = new Dictionary<string, string> { ["sslmode"] = "require", ["api_key"] = apiKey },
    };

    /// <summary>An item is refused as forbidden with no id and no changes, or planned as <paramref name="expected"/>.</summary>
    private static void Expect(FeatureCaller caller, JsonElement plan, string kind, string expected, StringBuilder mismatches)
    {
        var item = plan.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == kind);
        var action = item.GetProperty("action").GetString();
        var refused = action == "failed" && item.GetProperty("errors").EnumerateArray().Any(e => e.GetProperty("code").GetString() == Refused);
        var outcome = refused ? Refused : action;
        if (outcome != expected) mismatches.AppendLine($"plan {kind} as {caller}: expected {expected}, got {item}");
    }
}
