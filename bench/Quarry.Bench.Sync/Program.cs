using Npgsql;
using Quarry.Bench.Sync;
using Quarry.Cli;
using Quarry.Contracts.Operations;

// Sync benchmark: one PostgreSQL schema of 5,000 tables × 20 columns (100,000 fields) synced into a Quarry store,
// then re-synced unchanged (and proven to write nothing), then 100 datastores synced through the CLI with --parallel 8.
// Needs a PostgreSQL superuser connection string in QUARRY_BENCH_POSTGRES (bench/Quarry.Bench.Sync/run.sh starts a throwaway one).
// Arguments: [sqlite|postgresql] (the store; default both), --tables N, --columns N.

var admin = Environment.GetEnvironmentVariable("QUARRY_BENCH_POSTGRES")
    ?? throw new InvalidOperationException("Set QUARRY_BENCH_POSTGRES, or run bench/Quarry.Bench.Sync/run.sh, which starts a throwaway PostgreSQL.");
var tables = Arg("--tables", 5000);
var columns = Arg("--columns", 20);
var stores = args.Where(a => a is "sqlite" or "postgresql").DefaultIfEmpty("sqlite").ToList();
if (!args.Contains("sqlite") && !args.Contains("postgresql")) stores.Add("postgresql");

var source = await Postgres.CreateDatabaseAsync(admin, "bench_source");
Console.WriteLine($"Building the source: {tables} tables × {columns} columns in schema 'wide', 50 × 20 in 'medium' …");
var build = Stopwatch.StartNew();
await Postgres.CreateWideSchemaAsync(source, "wide", tables, columns);
await Postgres.CreateWideSchemaAsync(source, "medium", 50, 20);
Console.WriteLine($"  built in {build.Elapsed.TotalSeconds:0.0}s");

var results = new List<string>();
foreach (var store in stores)
{
    var storeDatabase = store == "postgresql" ? await Postgres.CreateDatabaseAsync(admin, "bench_store") : null;
    var data = Directory.CreateTempSubdirectory("quarry-bench-").FullName;
    var token = Quarry.Server.Access.Tokens.Generate();
    var options = new ServerOptions { Host = "127.0.0.1", Port = 0, DataDirectory = data, AdminToken = token, Workers = 8, Database = storeDatabase };
    // The sync runner's own log line splits each sync into read / compare / write time.
    await using var app = await QuarryServer.StartAsync(options, logging => logging.ClearProviders()
        .AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
        .AddFilter("Quarry.Server.Operations.SyncRunner", args.Contains("--verbose") ? LogLevel.Information : LogLevel.Warning));
    using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var api = new BenchApi(http);

    var builder = new NpgsqlConnectionStringBuilder(source);
    var connection = await api.CreateAsync("/api/connections", new { name = "bench", type = "postgresql", host = builder.Host, port = builder.Port, username = builder.Username, password = "bench", database = builder.Database });
    var wide = await api.CreateAsync("/api/datastores", new { name = "wide", connection_id = connection, database = builder.Database, schema = "wide" });

    var first = await api.SyncAsync(wide);
    var fields = await Postgres.CountFieldsAsync(api, wide);
    Report($"{store} store: first sync of {first.Status.TotalContainers} containers / {fields} fields", first);

    var before = await api.CatalogFingerprintAsync(wide);
    var resync = await api.SyncAsync(wide);
    var after = await api.CatalogFingerprintAsync(wide);
    var writes = before == after ? "0 rows written (catalog fingerprint incl. every updated_at identical)" : "CATALOG CHANGED";
    Report($"{store} store: unchanged re-sync — {writes}; details '{resync.Details}'", resync);

    var ids = new List<int>();
    for (var i = 0; i < 100; i++)
        ids.Add(await api.CreateAsync("/api/datastores", new { name = $"medium-{i}", connection_id = connection, database = builder.Database, schema = "medium" }));
    var stdout = new StringWriter();
    var context = new CliContext
    {
        Stdout = stdout,
        Stderr = new StringWriter(),
        GetEnvironment = name => name switch { "QUARRY_URL" => app.Urls.First(), "QUARRY_TOKEN" => token, _ => null },
        HomeDirectory = data,
        WorkingDirectory = data,
    };
    var many = Stopwatch.StartNew();
    var exit = await QuarryCli.RunAsync(["operations", "sync", "--datastore-id", string.Join(",", ids), "--wait", "--parallel", "8"], context);
    many.Stop();
    var line = $"{store} store: 100 datastores × 50 tables × 20 columns, `operations sync --wait --parallel 8` (8 workers): {many.Elapsed.TotalSeconds:0.00}s wall, exit {exit}";
    Console.WriteLine(line);
    results.Add(line);

    await app.StopAsync();
    if (storeDatabase is not null) await Postgres.DropDatabaseAsync(admin, storeDatabase);
    Directory.Delete(data, true);
}
await Postgres.DropDatabaseAsync(admin, source);

Console.WriteLine();
Console.WriteLine("Summary");
foreach (var line in results) Console.WriteLine("  " + line);
return 0;

void Report(string what, OperationDto operation)
{
    var seconds = (operation.EndTime!.Value - operation.StartTime!.Value).TotalSeconds;
    var line = $"{what}: {seconds:0.00}s (operation start→end, result {operation.Result})";
    Console.WriteLine(line);
    results.Add(line);
}

int Arg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
