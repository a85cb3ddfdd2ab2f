namespace Quarry.Bench;

/// <summary>
/// N datastores created through the API by C concurrent clients (each its own HttpClient), then the whole
/// list read page by page at size 50 and 1000. Reports creates/s and latency median/p99.
/// </summary>
public static class DatastoresBench
{
    public static async Task RunAsync(BenchServer server, BenchOptions options)
    {
        using var setup = server.Client();
        var connection = await CreateAsync(setup, "/api/connections",
            new { name = "bench-warehouse", type = "postgresql", host = "db.example.com", username = "reader", password = "bench-secret", database = "analytics" });
        await CreateAsync(setup, "/api/teams", new { name = "Finance" });

        var next = 0;
        var failures = new List<string>();
        var createLatencies = new List<double>[options.Clients];
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(async c =>
        {
            using var client = server.Client();
            var latencies = createLatencies[c] = [];
            for (var i = Interlocked.Increment(ref next); i <= options.Count; i = Interlocked.Increment(ref next))
            {
                var body = new
                {
                    name = $"datastore-{i:000000}",
                    connection_id = connection,
                    schema = $"schema_{i}",
                    tags = new[] { i % 2 == 0 ? "even" : "odd", "bench" },
                    teams = i % 10 == 0 ? new[] { "Finance" } : [],
                };
                var watch = Stopwatch.StartNew();
                using var response = await client.PostAsJsonAsync("/api/datastores", body);
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    var failure = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    lock (failures) failures.Add(failure);
                }
            }
        }));
        total.Stop();

        var created = options.Count - failures.Count;
        var label = server.Kind == StoreKind.Sqlite ? "SQLite" : "PostgreSQL";
        Console.WriteLine();
        Console.WriteLine($"## Datastores: {options.Count:N0} creates by {options.Clients} clients, then paged lists ({label})");
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| creates | {created:N0} ok, {failures.Count} failed in {total.Elapsed.TotalSeconds:F1} s |");
        Console.WriteLine($"| creates/s | {created / total.Elapsed.TotalSeconds:F0} |");
        var all = createLatencies.SelectMany(l => l).ToList();
        Console.WriteLine($"| create latency median / p99 | {Percentile(all, 50):F1} ms / {Percentile(all, 99):F1} ms |");

        foreach (var size in new[] { 50, 1000 })
        {
            var (pages, latencies, items) = await ListAllAsync(setup, size);
            Console.WriteLine($"| list size={size}: {pages} pages, {items:N0} items | median {Percentile(latencies, 50):F1} ms, p99 {Percentile(latencies, 99):F1} ms, all pages {latencies.Sum() / 1000:F1} s |");
        }
        foreach (var failure in failures.GroupBy(f => f.Length > 160 ? f[..160] : f).Take(5))
            Console.WriteLine($"\nfailure ×{failure.Count()}: {failure.Key}");
    }

    private static async Task<(int Pages, List<double> Latencies, int Items)> ListAllAsync(HttpClient client, int size)
    {
        var latencies = new List<double>();
        var items = 0;
        for (var page = 1; ; page++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync($"/api/datastores?page={page}&size={size}");
            var text = await response.Content.ReadAsStringAsync();
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(text);
            var count = json.RootElement.GetProperty("items").GetArrayLength();
            items += count;
            if (count == 0 || items >= json.RootElement.GetProperty("total").GetInt32()) return (page, latencies, items);
        }
    }

    private static async Task<int> CreateAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} → {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt32();
    }

    private static double Percentile(List<double> values, double percentile)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        var index = (int)Math.Ceiling(percentile / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }
}
