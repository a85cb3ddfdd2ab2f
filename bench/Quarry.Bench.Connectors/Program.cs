using DuckDB.NET.Data;
using MySqlConnector;
using Quarry.Bench.Connectors;
using Quarry.Bench.Sync;
using Quarry.Contracts.Operations;

// Connector benchmarks, each through a real server (SQLite store), in one run:
// - postgresql: the same sync on PostgreSQL (bench/Quarry.Bench.Sync's schema), measured beside it under the same load;
// - mysql: sync of a MariaDB schema of 5,000 tables × 20 columns, first sync and unchanged re-sync;
// - files: sync of a folder of 2,000 files (1,000 CSV and 1,000 Parquet, 20 columns each), first and unchanged;
// - scan: a 10,000,000-row Parquet file scanned with the scan benchmark's 20 checks, beside one hand-written DuckDB
//   statement evaluating the same conditions (ParquetScan).
// Needs administrator connection strings in QUARRY_BENCH_MARIADB and QUARRY_BENCH_POSTGRES (run.sh starts both servers).
// Arguments: --only postgresql|mysql|files|scan (repeatable; default all), --tables N, --files N, --columns N, --rows N, --repeat N,
// --parquet-folder DIR (keeps the generated Parquet file there between runs), --engine NAME (the MariaDB tables' engine, InnoDB by default).

var admin = Environment.GetEnvironmentVariable("QUARRY_BENCH_MARIADB")
    ?? throw new InvalidOperationException("Set QUARRY_BENCH_MARIADB, or run bench/Quarry.Bench.Connectors/run.sh, which starts a throwaway MariaDB.");
var tables = Arg("--tables", 5000);
var files = Arg("--files", 2000);
var columns = Arg("--columns", 20);
var rows = Arg("--rows", 10_000_000);
var repeat = Arg("--repeat", 3);
var only = args.Select((a, i) => (a, i)).Where(p => p.a == "--only" && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToHashSet();
bool Runs(string part) => only.Count == 0 || only.Contains(part);
var results = new List<string>();
Console.WriteLine($"load average at start: {LoadAverage()}");
results.Add($"load average at start: {LoadAverage()}");

var data = Directory.CreateTempSubdirectory("quarry-bench-connectors-").FullName;
var token = Quarry.Server.Access.Tokens.Generate();
await using var app = await QuarryServer.StartAsync(new ServerOptions { Host = "127.0.0.1", Port = 0, DataDirectory = Path.Combine(data, "store"), AdminToken = token },
    logging => logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
        // Each sync's own account of where its time went: reading the source, comparing, writing the store.
        .AddFilter("Quarry.Server.Operations.Sync", LogLevel.Information));
using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(10) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
var api = new BenchApi(http);

if (Runs("postgresql"))
{
    // PostgreSQL: the sync benchmark's wide schema, so the MariaDB figure has its PostgreSQL one beside it.
    var pgAdmin = Environment.GetEnvironmentVariable("QUARRY_BENCH_POSTGRES")
        ?? throw new InvalidOperationException("Set QUARRY_BENCH_POSTGRES, or run bench/Quarry.Bench.Connectors/run.sh, which starts a throwaway PostgreSQL.");
    Console.WriteLine($"Building PostgreSQL schema 'wide': {tables} tables × {columns} columns …");
    var source = await Postgres.CreateDatabaseAsync(pgAdmin, "bench_source");
    await Postgres.CreateWideSchemaAsync(source, "wide", tables, columns);
    var pg = new Npgsql.NpgsqlConnectionStringBuilder(source);
    var postgres = await api.CreateAsync("/api/connections", new { name = "bench-postgresql", type = "postgresql", host = pg.Host, port = pg.Port, username = pg.Username, password = "bench", database = pg.Database });
    var pgWide = await api.CreateAsync("/api/datastores", new { name = "pg-wide", connection_id = postgres, database = pg.Database, schema = "wide" });
    Report($"postgresql: first sync of {tables} tables × {columns} columns", await api.SyncAsync(pgWide), await Postgres.CountFieldsAsync(api, pgWide));
    Report("postgresql: unchanged re-sync", await api.SyncAsync(pgWide), null);
    await Postgres.DropDatabaseAsync(pgAdmin, source);
}

if (Runs("mysql"))
{
    // MariaDB: one schema (the server's default engine, InnoDB, unless --engine names another), created with one
    // multi-statement batch per 100 tables; kept when it already has this shape (a second run on the same server).
    var builder = new MySqlConnectionStringBuilder(admin);
    var engine = Text("--engine") ?? "InnoDB";
    Console.WriteLine($"Building MariaDB schema 'bench_wide': {tables} tables × {columns} columns ({engine}) …");
    var build = Stopwatch.StartNew();
    await using (var db = new MySqlConnection(admin))
    {
        await db.OpenAsync();
        await using var shape = new MySqlCommand("""
            SELECT (SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'bench_wide' AND ENGINE = @engine),
                   (SELECT count(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'bench_wide')
            """, db);
        shape.Parameters.AddWithValue("@engine", engine);
        bool kept;
        await using (var reader = await shape.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            kept = reader.GetInt64(0) == tables && reader.GetInt64(1) == (long)tables * columns;
        }
        if (kept) Console.WriteLine("  kept from an earlier run");
        else
        {
            await Execute(db, "DROP DATABASE IF EXISTS bench_wide; CREATE DATABASE bench_wide");
            var definition = string.Join(", ", Enumerable.Range(1, columns).Select(c => $"c{c} {(c % 3 == 0 ? "varchar(100)" : c % 3 == 1 ? "int" : "decimal(12,2)")}"));
            for (var start = 0; start < tables; start += 100)
                await Execute(db, string.Concat(Enumerable.Range(start, Math.Min(100, tables - start)).Select(t => $"CREATE TABLE bench_wide.t{t:00000} ({definition}) ENGINE={engine};")));
        }
    }
    Console.WriteLine($"  built in {build.Elapsed.TotalSeconds:0.0}s");
    var mysql = await api.CreateAsync("/api/connections", new { name = "bench-mysql", type = "mysql", host = builder.Server, port = (int)builder.Port, username = builder.UserID, password = builder.Password });
    var wide = await api.CreateAsync("/api/datastores", new { name = "wide", connection_id = mysql, schema = "bench_wide" });
    Report($"mysql: first sync of {tables} tables × {columns} columns", await api.SyncAsync(wide), await Postgres.CountFieldsAsync(api, wide));
    Report("mysql: unchanged re-sync", await api.SyncAsync(wide), null);
}

if (Runs("files"))
{
    // Files: half CSV, half Parquet, each its own container (distinct names, no partition suffix).
    var root = Path.Combine(data, "lake");
    var folder = Directory.CreateDirectory(Path.Combine(root, "wide")).FullName;
    Console.WriteLine($"Building folder 'wide': {files} files × {columns} columns …");
    var build = Stopwatch.StartNew();
    await using (var duck = new DuckDBConnection("Data Source=:memory:"))
    {
        duck.Open();
        var select = string.Join(", ", Enumerable.Range(1, columns).Select(c => $"(i * {c})::{(c % 3 == 0 ? "VARCHAR" : c % 3 == 1 ? "INTEGER" : "DOUBLE")} AS c{c}"));
        await Execute(duck, $"CREATE TABLE sample AS SELECT {select} FROM range(100) r(i)");
        for (var f = 0; f < files; f++)
        {
            var csv = f % 2 == 0;
            var path = Path.Combine(folder, $"file{(char)('a' + f % 26)}{f:00000}x.{(csv ? "csv" : "parquet")}");
            await Execute(duck, $"COPY sample TO '{path}' (FORMAT {(csv ? "csv, HEADER true" : "parquet")})");
        }
    }
    Console.WriteLine($"  built in {build.Elapsed.TotalSeconds:0.0}s");
    var lake = await api.CreateAsync("/api/connections", new { name = "bench-files", type = "files", path = root });
    var lakeWide = await api.CreateAsync("/api/datastores", new { name = "lake-wide", connection_id = lake, schema = "wide" });
    Report($"files: first sync of {files} files (CSV and Parquet) × {columns} columns", await api.SyncAsync(lakeWide), await Postgres.CountFieldsAsync(api, lakeWide));
    Report("files: unchanged re-sync", await api.SyncAsync(lakeWide), null);
}

if (Runs("scan"))
{
    // Scan: the scan benchmark's 10,000,000 rows as one Parquet file, Quarry's scan beside one hand-written DuckDB statement.
    var parquetRoot = Text("--parquet-folder") ?? Path.Combine(data, "parquet");
    var parquetFolder = Directory.CreateDirectory(Path.Combine(parquetRoot, "bench")).FullName;
    var parquet = ParquetScan.Generate(parquetFolder, rows);
    await ParquetScan.RunAsync(http, api, parquetRoot, parquet, repeat, line => { Console.WriteLine(line); results.Add(line); });
}

await app.StopAsync();
Directory.Delete(data, true);

results.Add($"load average at end: {LoadAverage()}");
Console.WriteLine();
Console.WriteLine("Summary");
foreach (var line in results) Console.WriteLine("  " + line);
return 0;

static async Task Execute(System.Data.Common.DbConnection db, string sql)
{
    await using var command = db.CreateCommand();
    command.CommandText = sql;
    command.CommandTimeout = 600;
    await command.ExecuteNonQueryAsync();
}

void Report(string what, OperationDto operation, int? fields)
{
    var seconds = (operation.EndTime!.Value - operation.StartTime!.Value).TotalSeconds;
    var line = $"{what}{(fields is null ? "" : $" ({fields} fields)")}: {seconds:0.00}s (operation start→end, result {operation.Result})";
    Console.WriteLine(line);
    results.Add(line);
}

int Arg(string name, int fallback) =>
    Text(name) is { } value ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;

string? Text(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
