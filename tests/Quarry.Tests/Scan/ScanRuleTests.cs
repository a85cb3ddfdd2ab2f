using Quarry.Server.Operations.Scan;

namespace Quarry.Tests.Scan;

/// <summary>Every rule of the catalog, failing and passing, evaluated at a real PostgreSQL and a real SQLite source.</summary>
public sealed class ScanRuleTests
{
    /// <summary>Five orders that break some rules on purpose; the same SQL creates them in both databases.</summary>
    public const string Orders = """
        CREATE TABLE orders (id integer NOT NULL, email varchar(100), amount numeric(10,2), status text, qty integer, code text, created_at timestamp, note text);
        INSERT INTO orders VALUES
          (1, 'a@x.com', 10.5, 'new',   1, '123', '2024-01-01 10:00:00', 'hello'),
          (2, 'b@x.com', 20,   'paid',  2, '456', '2024-02-01 10:00:00', 'world'),
          (3, NULL,      -5,   'paid',  3, 'abc', '2024-03-01 10:00:00', 'x'),
          (4, 'd@x.com', 300,  'weird', 4, '789', '2999-01-01 00:00:00', 'a long note here'),
          (5, 'e@x.com', 50,   'new',   5, '12',  '2024-05-01 10:00:00', 'it''s');
        """;

    /// <summary>Each check with the number of rows it must find failing (0: it passes).</summary>
    private static readonly (string Rule, string[] Fields, object? Properties, string? Filter, long Failing)[] Cases =
    [
        ("notNull", ["email"], null, null, 1),
        ("notNull", ["id", "qty"], null, null, 0),
        ("unique", ["status"], null, null, 4),
        ("unique", ["id"], null, null, 0),
        ("notNegative", ["amount"], null, null, 1),
        ("notNegative", ["qty"], null, null, 0),
        ("notFuture", ["created_at"], null, null, 1),
        ("notFuture", ["created_at"], null, "id <> 4", 0),
        ("between", ["amount"], new { min = 0, max = 100 }, null, 2),
        ("between", ["qty"], new { min = 1, max = 5 }, null, 0),
        ("between", ["qty"], new { min = 1, max = 5, inclusive = false }, null, 2),
        ("greaterThan", ["amount"], new { value = 0 }, null, 1),
        ("greaterThan", ["qty"], new { value = 0.5 }, null, 0),
        ("lessThan", ["amount"], new { value = 100 }, null, 1),
        ("lessThan", ["qty"], new { value = 5, inclusive = true }, null, 0),
        ("expectedValues", ["status"], new { list = new[] { "new", "paid" } }, null, 1),
        ("expectedValues", ["qty"], new { list = new[] { 1, 2, 3, 4, 5 } }, null, 0),
        ("matchesPattern", ["email"], new { pattern = "^[a-z]+@x\\.com$" }, null, 0),
        ("matchesPattern", ["code"], new { pattern = "^[0-9]+$" }, null, 1),
        ("minLength", ["code"], new { value = 3 }, null, 1),
        ("maxLength", ["note"], new { value = 10 }, null, 1),
        ("maxLength", ["email"], new { value = 20 }, null, 0),
        ("isType", ["code"], new { field_type = "integral" }, null, 1),
        ("isType", ["note"], new { field_type = "string" }, null, 0),
        ("isType", ["email"], new { field_type = "date" }, "email IS NULL", 0),
        ("afterDateTime", ["created_at"], new { datetime = "2023-12-31T00:00:00Z" }, null, 0),
        ("afterDateTime", ["created_at"], new { datetime = "2024-02-15T00:00:00Z" }, null, 2),
        ("beforeDateTime", ["created_at"], new { datetime = "2025-01-01T00:00:00Z" }, null, 1),
        ("satisfiesExpression", [], new { expression = "amount < qty * 100" }, null, 0),
        ("satisfiesExpression", [], new { expression = "amount > 15" }, null, 2),
    ];

    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task EveryRuleFindsExactlyTheRowsThatBreakIt(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, Orders);
        var (scan, ids, results) = await world.ScanCasesAsync("orders",
            [.. Cases.Select(c => (c.Rule, c.Fields, c.Properties, c.Filter, c.Failing > 0 ? CheckOutcome.Failed : CheckOutcome.Passed, c.Failing))]);
        // A filter narrows the rows asserted: "id <> 4" leaves 4 of the 5, "email IS NULL" leaves 1.
        Assert.All(results.Values, r => Assert.Equal(Cases[ids.IndexOf(r.CheckId)].Filter switch { null => 5, "id <> 4" => 4, _ => 1 }, r.AssertedRecords));
        Assert.Equal(Cases.Count(c => c.Failing > 0), (await world.AnomaliesAsync()).Count);
        var summary = scan.Summary!.Value;
        Assert.Equal(Cases.Count(c => c.Failing > 0), summary.GetProperty("checks_failed").GetInt32());
        Assert.Equal(5, (await world.ContainerScansAsync(scan.Id)).Single().RecordCount);
    }
}
