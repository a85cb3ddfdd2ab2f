using Quarry.Server.Quality;
using static Quarry.Tests.Quality.QualityWorld;

namespace Quarry.Tests.Quality;

/// <summary>
/// Every supported rule, with properties a user would write and with the mistakes a user would make. The tests that
/// only send refused requests share one world per store; the ones that create checks or count them start their own.
/// </summary>
public sealed class QualityCheckRuleTests(QualityWorldPerStore worlds) : IClassFixture<QualityWorldPerStore>
{
    private static readonly (string Rule, string[] Fields, object Properties)[] ValidChecks =
    [
        ("notNull", ["id", "customer_id"], new { }),
        ("unique", ["id"], new { }),
        ("notNegative", ["amount"], new { }),
        ("notFuture", ["created_at"], new { }),
        ("between", ["amount"], new { min = 0, max = 10000.5, inclusive = false }),
        ("greaterThan", ["amount"], new { value = 0 }),
        ("lessThan", ["amount"], new { value = 1e6, inclusive = true }),
        ("expectedValues", ["status"], new { list = new object[] { "open", "shipped", "cancelled" } }),
        ("matchesPattern", ["email"], new { pattern = @"^[^@\s]+@[^@\s]+$" }),
        ("minLength", ["status"], new { value = 0 }),
        ("maxLength", ["status"], new { value = 20 }),
        ("isType", ["status"], new { field_type = "string" }),
        ("afterDateTime", ["created_at"], new { datetime = "2020-01-01T00:00:00Z" }),
        ("beforeDateTime", ["created_at"], new { datetime = "2100-01-01" }),
        ("satisfiesExpression", [], new { expression = "amount >= 0 OR status = 'cancelled'" }),
        ("existsIn", ["customer_id"], new { ref_container = "customers", ref_field = "id" }),
        ("volumetric", [], new { min = 1, max = 1000 }),
        ("freshness", ["created_at"], new { max_age = "24h" }),
        ("aggregationComparison", [], new { expression = "count(*)", ref_container = "customers", ref_expression = "count(*)", comparison = "gte", tolerance_percent = 5 }),
        ("isReplicaOf", [], new { ref_container = "customers", ref_datastore = "shop" }),
    ];

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task EverySupportedRuleIsCreatedWithValidProperties(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        Assert.Equal(CheckRules.All.Select(r => r.Name).Order(), ValidChecks.Select(c => c.Rule).Order());

        foreach (var (rule, fields, properties) in ValidChecks)
        {
            var (status, body, _) = await world.Server.Admin.SendAsync(HttpMethod.Post, "/api/quality-checks",
                new { rule, container_id = world.Orders, fields, properties, description = $"{rule} check", tags = new[] { "finance", "core" } });
            Assert.True(status == HttpStatusCode.Created, $"{rule}: {body}");
            Assert.Equal(rule, body.GetProperty("rule").GetString());
            Assert.Equal(fields, body.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
            Assert.Equal("orders", body.GetProperty("container").GetProperty("name").GetString());
            Assert.Equal(["core", "finance"], body.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        }

        var page = await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, $"/api/quality-checks?container={world.Orders}&size=100");
        Assert.Equal(ValidChecks.Length, page.GetProperty("total").GetInt32());
        var between = page.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("rule").GetString() == "between");
        Assert.Equal(10000.5, between.GetProperty("properties").GetProperty("max").GetDouble());
        Assert.False(between.GetProperty("properties").GetProperty("inclusive").GetBoolean());
        var byRule = await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, $"/api/quality-checks?datastore={world.DatastoreId}&rule=unique");
        Assert.Equal(1, byRule.GetProperty("total").GetInt32());
        var byTag = await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/quality-checks?tag=finance&size=2");
        Assert.Equal(ValidChecks.Length, byTag.GetProperty("total").GetInt32());
        Assert.Equal(2, byTag.GetProperty("items").GetArrayLength());
    }

    private static readonly (string Rule, string[] Fields, string Properties, string Field, string Message)[] InvalidChecks =
    [
        ("between", ["amount"], """{"min":10,"max":1}""", "properties.min", "must not be greater than max"),
        ("between", ["amount"], """{"min":1}""", "properties.max", "is required by between"),
        ("between", ["amount", "id"], """{"min":1,"max":2}""", "fields", "between takes exactly one field; 2 given"),
        ("between", ["amount"], """{"min":"low","max":2}""", "properties.min", "must be a number"),
        ("expectedValues", ["status"], """{"list":[]}""", "properties.list", "non-empty list"),
        ("expectedValues", ["status"], """{"list":[{"a":1}]}""", "properties.list", "non-empty list of values"),
        ("matchesPattern", ["email"], """{"pattern":"([a-z"}""", "properties.pattern", "is not a valid regular expression"),
        ("minLength", ["status"], """{"value":-1}""", "properties.value", "a whole number, 0 or more"),
        ("maxLength", ["status"], """{"value":2.5}""", "properties.value", "a whole number, 0 or more"),
        ("isType", ["status"], """{"field_type":"datetime2"}""", "properties.field_type", "must be one of integral, fractional"),
        ("greaterThan", ["amount"], """{"value":"ten"}""", "properties.value", "must be a number, not the text \"ten\""),
        ("lessThan", ["amount"], """{"value":5,"inclusive":"yes"}""", "properties.inclusive", "must be true or false"),
        ("afterDateTime", ["created_at"], """{"datetime":"yesterday"}""", "properties.datetime", "ISO-8601"),
        ("beforeDateTime", ["created_at"], """{}""", "properties.datetime", "is required by beforeDateTime"),
        ("notNull", ["id"], """{"value":1}""", "properties.value", "notNull, which takes no properties"),
        ("notNull", [], """{}""", "fields", "notNull takes at least 1 field; 0 given"),
        ("unique", ["id", "id"], """{}""", "fields", "'id' is listed more than once"),
        ("notNegative", ["amount"], """{"min":0}""", "properties.min", "is not a property of notNegative"),
        ("notFuture", ["created_at", "amount"], """{"tolerance":"1d"}""", "properties.tolerance", "is not a property of notFuture"),
        ("satisfiesExpression", [], """{"expression":"  "}""", "properties.expression", "must be non-empty text"),
        ("minLength", ["status"], """{"value":1,"maximum":3}""", "properties.maximum", "it takes: value"),
        ("existsIn", ["customer_id"], """{"ref_container":"clients","ref_field":"id"}""", "properties.ref_container", "datastore 'shop' has no container named 'clients'"),
        ("existsIn", ["customer_id"], """{"ref_container":"customers","ref_field":"ID"}""", "properties.ref_field", "Did you mean 'id'?"),
        ("existsIn", ["customer_id"], """{"ref_container":"customers"}""", "properties.ref_field", "is required by existsIn"),
        ("existsIn", ["customer_id"], """{"ref_container":"customers","ref_field":"id","ref_datastore":"nowhere"}""", "properties.ref_datastore", "no datastore is named 'nowhere'"),
        ("volumetric", [], """{}""", "properties", "volumetric needs a fixed range (min, max or both) or tolerance_percent"),
        ("volumetric", [], """{"min":5,"tolerance_percent":10}""", "properties.tolerance_percent", "can't be given with min or max"),
        ("volumetric", [], """{"min":50,"max":5}""", "properties.min", "must not be greater than max"),
        ("volumetric", [], """{"tolerance_percent":-1}""", "properties.tolerance_percent", "must be a number, 0 or more"),
        ("volumetric", [], """{"tolerance_percent":10,"history":0}""", "properties.history", "a whole number, 1 or more"),
        ("volumetric", ["id"], """{"max":5}""", "fields", "volumetric takes no fields; 1 given"),
        ("freshness", ["created_at"], """{"max_age":"1 week"}""", "properties.max_age", "a duration: a whole number and a unit, s, m, h or d (30m, 24h, 7d)"),
        ("freshness", ["created_at"], """{}""", "properties.max_age", "is required by freshness"),
        ("aggregationComparison", [], """{"expression":"sum(amount)","ref_container":"customers","ref_expression":"count(*)","comparison":"ne"}""",
            "properties.comparison", "must be one of eq, lt, lte, gt, gte"),
        ("aggregationComparison", [], """{"expression":"sum(amount)","ref_container":"customers","ref_expression":"count(*)","tolerance":1,"tolerance_percent":1}""",
            "properties.tolerance_percent", "can't be given with tolerance"),
        ("isReplicaOf", [], """{"ref_container":"customers","ref_datastore":"missing"}""", "properties.ref_datastore", "no datastore is named 'missing'"),
    ];

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task InvalidPropertiesAreRefusedNamingTheProperty(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        foreach (var (rule, fields, properties, field, message) in InvalidChecks)
        {
            var (status, body, _) = await world.Server.Admin.SendAsync(HttpMethod.Post, "/api/quality-checks",
                new { rule, container_id = world.Orders, fields, properties = JsonDocument.Parse(properties).RootElement });
            Assert.True(status == HttpStatusCode.BadRequest, $"{rule} {properties}: {status}");
            Assert.True(Errors(body, field).Any(m => m.Contains(message, StringComparison.Ordinal)), $"{rule} {properties}: {body}");
        }
        var page = await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/quality-checks");
        Assert.Equal(0, page.GetProperty("total").GetInt32());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ARuleThatJudgesTheWholeContainerRefusesACoverageBelowOne(StoreKind kind)
    {
        var world = await worlds.For(kind);
        var (status, body, _) = await world.Server.Admin.SendAsync(HttpMethod.Post, "/api/quality-checks",
            new { rule = "volumetric", container_id = world.Orders, fields = Array.Empty<string>(), properties = new { max = 10 }, coverage = 0.9 });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("volumetric judges the container as a whole, not a share of its rows; leave coverage out (it is 1).", Assert.Single(Errors(body, "coverage")));
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AnUnknownRuleIsRefusedWithTheListOfKnownRules(StoreKind kind)
    {
        var world = await worlds.For(kind);
        var (status, body, _) = await world.Server.Admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "isEven", container_id = world.Orders, fields = new[] { "id" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = Assert.Single(Errors(body, "rule"));
        Assert.Contains("'isEven' is not a known rule", message);
        Assert.Contains("Known rules: notNull, unique, notNegative, notFuture, between, greaterThan, lessThan, expectedValues, matchesPattern, minLength, maxLength, isType, afterDateTime, beforeDateTime, satisfiesExpression, existsIn, volumetric, freshness, aggregationComparison, isReplicaOf.", message);

        (_, body, _) = await world.Server.Admin.SendAsync(HttpMethod.Post, "/api/quality-checks", new { rule = "notnull", container_id = world.Orders, fields = new[] { "id" } });
        Assert.Contains("Did you mean 'notNull'?", Assert.Single(Errors(body, "rule")));

        var rules = await QuarryTestServer.GetJsonAsync<JsonElement>(world.Server.Admin, "/api/quality-checks/rules");
        Assert.Equal(CheckRules.All.Count, rules.GetArrayLength());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AFieldTheContainerDoesNotHaveIsNamedInTheError(StoreKind kind)
    {
        var world = await worlds.For(kind);
        var (status, body, _) = await world.Server.Admin.SendAsync(HttpMethod.Post, "/api/quality-checks",
            new { rule = "notNull", container_id = world.Orders, fields = new[] { "id", "colour", "Status" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = Errors(body, "fields");
        Assert.Equal(2, errors.Count);
        Assert.Contains("'colour' is not a field of container 'orders'. Its fields are: id, customer_id, amount, status, email, created_at.", errors);
        Assert.Contains("'Status' is not a field of container 'orders'. Did you mean 'status'? Field names are case-sensitive.", errors);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AContainerNotYetSyncedAcceptsAnyFieldName(StoreKind kind)
    {
        await using var world = await QualityWorld.StartAsync(kind);
        var (status, body, _) = await world.Server.Admin.SendAsync(HttpMethod.Post, "/api/quality-checks",
            new { rule = "notNull", datastore_id = world.DatastoreId, container_name = "staging", fields = new[] { "anything" } });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(world.Staging, body.GetProperty("container_id").GetInt32());

        (status, body, _) = await world.Server.Admin.SendAsync(HttpMethod.Post, "/api/quality-checks",
            new { rule = "notNull", datastore_id = world.DatastoreId, container_name = "invoices", fields = new[] { "id" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("no container named 'invoices'", Assert.Single(Errors(body, "container_name")));
    }
}
