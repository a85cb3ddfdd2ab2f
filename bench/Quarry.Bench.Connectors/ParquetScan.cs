using DuckDB.NET.Data;
using Quarry.Bench.Sync;
using Quarry.Cli.Client;

namespace Quarry.Bench.Connectors;

/// <summary>
/// The scan benchmark's table as one Parquet file, scanned by Quarry's files connector and by one hand-written DuckDB
/// statement, in the same run. The data and the 20 checks are those of bench/scan (generate.sql, checks.py), written
/// for DuckDB: 10,000,000 rows × 12 columns computed from the row number, and 6 notNull, 4 between, 3 expectedValues,
/// 2 matchesPattern, 2 maxLength, 1 notFuture, 1 isType and 1 satisfiesExpression checks, 5 of them failing on 1% of
/// rows each (row number mod 100 = 11, 23, 37, 53, 71).
/// </summary>
internal static class ParquetScan
{
    private static readonly string[] Countries = ["US", "GB", "DE", "FR", "ES", "IT", "NL", "SE", "PL", "PT"];
    private static readonly string[] Statuses = ["new", "paid", "shipped", "cancelled"];
    private static readonly string[] Channels = ["web", "store", "phone"];
    private const string Email = @"^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}$";
    private const string Sku = "^[A-Z]{3}-[0-9]{5}$";
    private const string Integral = @"^\s*[+-]?[0-9]+\s*$";
    private const string Expression = "discount <= quantity * 100";

    /// <summary>(rule, field, properties, the DuckDB condition a failing row meets), as bench/scan/checks.py.</summary>
    private static readonly (string Rule, string? Field, object Properties, string Failing)[] Checks =
    [
        ("notNull", "id", new { }, "id IS NULL"),
        ("notNull", "customer_id", new { }, "customer_id IS NULL"),
        ("notNull", "email", new { }, "email IS NULL"),
        ("notNull", "country", new { }, "country IS NULL"),
        ("notNull", "status", new { }, "status IS NULL"),
        ("notNull", "created_at", new { }, "created_at IS NULL"),
        ("between", "amount", new { min = 0, max = 10000 }, "amount NOT BETWEEN 0 AND 10000"),
        ("between", "quantity", new { min = 1, max = 100 }, "quantity NOT BETWEEN 1 AND 100"),
        ("between", "discount", new { min = 0, max = 50 }, "discount NOT BETWEEN 0 AND 50"),
        ("between", "customer_id", new { min = 1, max = 1000000 }, "customer_id NOT BETWEEN 1 AND 1000000"),
        ("expectedValues", "country", new { list = Countries }, $"country NOT IN {List(Countries)}"),
        ("expectedValues", "status", new { list = Statuses }, $"status NOT IN {List(Statuses)}"),
        ("expectedValues", "channel", new { list = Channels }, $"channel NOT IN {List(Channels)}"),
        ("matchesPattern", "email", new { pattern = Email }, $"NOT regexp_matches(email, '{Email}')"),
        ("matchesPattern", "sku", new { pattern = Sku }, $"NOT regexp_matches(sku, '{Sku}')"),
        ("maxLength", "email", new { value = 64 }, "length(email) > 64"),
        ("maxLength", "sku", new { value = 9 }, "length(sku) > 9"),
        ("notFuture", "created_at", new { }, "created_at > now()"),
        ("isType", "qty_text", new { field_type = "integral" }, $"NOT regexp_matches(qty_text, '{Integral}')"),
        ("satisfiesExpression", null, new { expression = Expression }, $"NOT ({Expression})"),
    ];

    private static string List(string[] values) => "(" + string.Join(", ", values.Select(v => $"'{v}'")) + ")";

    /// <summary>Writes <c>orders.parquet</c> of <paramref name="rows"/> rows in <paramref name="folder"/>, unless it is there with that many rows.</summary>
    public static string Generate(string folder, long rows)
    {
        var path = Path.Combine(folder, "orders.parquet");
        using var db = Open();
        if (File.Exists(path) && Scalar<long>(db, $"SELECT count(*) FROM read_parquet('{path}')") == rows)
        {
            Console.WriteLine($"{path} already holds {rows:N0} rows; reusing it");
            return path;
        }
        Console.WriteLine($"Writing {path}: {rows:N0} rows × 12 columns …");
        var clock = Stopwatch.StartNew();
        var temporary = Path.Combine(folder, ".orders.parquet.tmp");
        Execute(db, $"""
            COPY (
              SELECT i AS id,
                     1 + (i * 7919) % 1000000 AS customer_id,
                     'user' || (i % 500000) || '@example.com' AS email,
                     (['US','GB','DE','FR','ES','IT','NL','SE','PL','PT'])[1 + i % 10] AS country,
                     CASE WHEN i % 100 = 11 THEN 'unknown' ELSE (['new','paid','shipped','cancelled'])[1 + i % 4] END AS status,
                     (['web','store','phone'])[1 + i % 3] AS channel,
                     CAST(CASE WHEN i % 100 = 23 THEN -((i % 500) + 1) ELSE ((i * 37) % 100000) / 10.0 END AS DECIMAL(12,2)) AS amount,
                     CAST(1 + i % 100 AS INTEGER) AS quantity,
                     CAST((i % 5001) / 100.0 AS DECIMAL(5,2)) AS discount,
                     CASE WHEN i % 100 = 37 THEN now() + INTERVAL 30 DAY
                          ELSE TIMESTAMPTZ '2020-01-01 00:00:00+00' + to_seconds(i % 157680000) END AS created_at,
                     CASE WHEN i % 100 = 53 THEN 'abc-'
                          ELSE chr(CAST(65 + i % 26 AS INTEGER)) || chr(CAST(65 + (i // 26) % 26 AS INTEGER)) || chr(CAST(65 + (i // 676) % 26 AS INTEGER)) || '-' END
                       || lpad(CAST(i % 100000 AS VARCHAR), 5, '0') AS sku,
                     CASE WHEN i % 100 = 71 THEN 'n/a' ELSE CAST(i % 1000 AS VARCHAR) END AS qty_text
              FROM range(1, {rows + 1}) r(i)
            ) TO '{temporary}' (FORMAT PARQUET)
            """);
        File.Move(temporary, path, overwrite: true);
        Console.WriteLine($"  written in {clock.Elapsed.TotalSeconds:0.0}s ({new FileInfo(path).Length / 1024.0 / 1024.0:0} MB)");
        return path;
    }

    /// <summary>Runs every measure <paramref name="repeat"/> times, interleaved, and reports medians.</summary>
    public static async Task RunAsync(HttpClient http, BenchApi api, string root, string path, int repeat, Action<string> report)
    {
        var connection = await api.CreateAsync("/api/connections", new { name = "bench-parquet", type = "files", path = root });
        var datastore = await api.CreateAsync("/api/datastores", new { name = "parquet-orders", connection_id = connection, schema = Path.GetFileName(Path.GetDirectoryName(path)) });
        await api.SyncAsync(datastore);
        foreach (var (rule, field, properties, _) in Checks)
            await api.CreateAsync("/api/quality-checks", new { datastore_id = datastore, container_name = "orders", rule, fields = field is null ? Array.Empty<string>() : new[] { field }, properties });

        var single = "SELECT " + string.Join(",\n  ", Checks.Select(c => $"count(*) FILTER (WHERE {c.Failing})")) + $"\nFROM read_parquet('{path}')";
        using var db = Open();
        Execute(db, $"SELECT count(*) FROM read_parquet('{path}') WHERE sku IS NOT NULL AND email IS NOT NULL"); // the file into the page cache
        var (hand, perCheck, quarry, quarryServer) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        long[] failing = [];
        for (var run = 0; run < repeat; run++)
        {
            var clock = Stopwatch.StartNew();
            failing = Row(db, single);
            hand.Add(clock.Elapsed.TotalSeconds);

            clock.Restart();
            var each = Checks.Select(c => Scalar<long>(db, $"SELECT count(*) FROM read_parquet('{path}') WHERE {c.Failing}")).ToArray();
            perCheck.Add(clock.Elapsed.TotalSeconds);
            if (!each.SequenceEqual(failing)) throw new InvalidOperationException($"One query per check and one statement disagree: {string.Join(",", each)} vs {string.Join(",", failing)}");

            clock.Restart();
            var scan = await api.RunAsync("scan", datastore);
            quarry.Add(clock.Elapsed.TotalSeconds);
            quarryServer.Add((scan.EndTime!.Value - scan.StartTime!.Value).TotalSeconds);
        }
        if (failing.Count(n => n > 0) != 5) throw new InvalidOperationException($"Expected 5 failing checks, found: {string.Join(",", failing)}");

        var anomalies = await http.GetFromJsonAsync<JsonElement>($"/api/anomalies?datastore={datastore}&size=1000", QuarryClient.Json);
        var found = anomalies.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("anomalous_records_count").GetInt64()).Order().ToList();
        var wanted = failing.Where(n => n > 0).Order().ToList();

        var c = Median(hand);
        report($"parquet scan, {Scalar<long>(db, $"SELECT count(*) FROM read_parquet('{path}')"):N0} rows × 20 checks, median of {repeat}:");
        report($"  (c) one hand-written DuckDB statement, 20 conditions: {c:0.00}s (runs: {string.Join(", ", hand.Select(s => s.ToString("0.00")))})");
        report($"  (b) 20 DuckDB queries, one per check: {Median(perCheck):0.00}s = {Median(perCheck) / c:0.00}× (c)");
        report($"  (a) Quarry's scan through the API: {Median(quarry):0.00}s = {Median(quarry) / c:0.00}× (c) (runs: {string.Join(", ", quarry.Select(s => s.ToString("0.00")))}; operation start→end {Median(quarryServer):0.00}s)");
        report($"  failing rows, Quarry vs hand-written: {(found.SequenceEqual(wanted) ? "equal" : $"DIFFERENT: Quarry {string.Join(",", found)}, hand-written {string.Join(",", wanted)}")}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>DuckDB as Quarry's files connector opens it: in memory, two threads.</summary>
    private static DuckDBConnection Open()
    {
        var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        Execute(db, "SET threads = 2");
        return db;
    }

    private static void Execute(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static T Scalar<T>(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long[] Row(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        reader.Read();
        return Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }
}
