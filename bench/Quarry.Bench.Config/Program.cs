using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// config import at scale: N connections + N datastores through the real `quarry` CLI (a separate process, so its
// peak memory is its own) against a real server, versus a script that POSTs one resource at a time (what onboarding
// without Quarry's config import looks like) on the same server in the same run.
//
//   bench/Quarry.Bench.Config/run.sh        (installs the CLI as users do, ReadyToRun, and runs both stores)
//   dotnet run -c Release --project bench/Quarry.Bench.Config -- [--sizes 1000,10000] [--postgres "Host=…"] [--cli path/to/quarry.dll]
// Without --cli it runs the plain Release build (dotnet build -c Release src/Quarry.Cli), which JIT-compiles as it goes.
var sizes = Arg("--sizes")?.Split(',').Select(int.Parse).ToArray() ?? [1000, 10000];
var postgres = Arg("--postgres");
// The one-POST-per-resource baseline takes minutes at 10k on a busy machine; --baseline-max skips it above that size.
var baselineMax = int.Parse(Arg("--baseline-max") ?? int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
var cli = Path.GetFullPath(Arg("--cli") ?? Path.Combine(RepoRoot(), "src/Quarry.Cli/bin/Release/net10.0/quarry.dll"));
if (!File.Exists(cli)) { Console.Error.WriteLine($"Build the CLI first (dotnet build -c Release src/Quarry.Cli): {cli} is missing."); return 2; }

const string token = "bench-admin-token-0123456789abcdef0123456789";
const string password = "bench-S3cret-value";
Console.WriteLine($"store: {(postgres is null ? "sqlite" : "postgresql")}; cli: {cli}; cores: {Environment.ProcessorCount}");
Console.WriteLine($"load average at start: {LoadAverage()}");
Console.WriteLine("| size | step | wall | cli cpu (user+sys) | cli peak RSS | result |");
Console.WriteLine("|---|---|---|---|---|---|");

foreach (var size in sizes)
{
    var data = Directory.CreateTempSubdirectory("quarry-bench-").FullName;
    var options = new ServerOptions { Host = "127.0.0.1", Port = 0, DataDirectory = data, AdminToken = token, Database = postgres is null ? null : await CreateDatabaseAsync(postgres), Workers = 1 };
    var app = await QuarryServer.StartAsync(options, logging => logging.ClearProviders());
    var url = app.Urls.First();
    var folder = WriteFolder(Path.Combine(data, "bench-config"), size);
    // A long-running server has its code paths compiled; warm this fresh one with a small import (other names) first.
    var warm = await RunCliAsync(cli, url, WriteFolder(Path.Combine(data, "warm-up"), 5, "warm-"));
    if (warm.ExitCode != 0) throw new InvalidOperationException("The warm-up import failed:\n" + warm.Output);

    var cold = await RunCliAsync(cli, url, folder);
    Row(size, "config import (cold apply)", cold, Summary(cold.Output));
    var before = await SnapshotAsync(app.Services);
    var rerun = await RunCliAsync(cli, url, folder);
    var writes = before == await SnapshotAsync(app.Services) ? "zero writes" : "WROTE";
    Row(size, "config import (unchanged re-run)", rerun, $"{Summary(rerun.Output)}; {writes}");
    var dry = await RunCliAsync(cli, url, folder, "--dry-run");
    Row(size, "config import --dry-run", dry, Summary(dry.Output));

    var plan = await PlanOnlyAsync(url, size);
    Console.WriteLine($"| {size}+{size} | POST /api/config/plan alone (server side, unchanged; best of 3) | {plan.TotalSeconds:F2} s | - | - | the plan inside the runs above |");

    if (size <= baselineMax)
    {
        var python = await PostEachAsync(url, size);
        Console.WriteLine($"| {size}+{size} | one POST per resource (a script's loop) | {python.TotalSeconds:F2} s | - | - | {2 * size} requests; config import cold apply is {python / cold.Wall:F1}× faster |");
    }
    Console.WriteLine($"load average now: {LoadAverage()}");

    await app.StopAsync();
    await app.DisposeAsync();
    if (options.Database is not null) await DropDatabaseAsync(postgres!, options.Database);
    Directory.Delete(data, recursive: true);
}
return 0;

string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

static string RepoRoot()
{
    var dir = AppContext.BaseDirectory;
    while (dir is not null && !File.Exists(Path.Combine(dir, "Quarry.slnx"))) dir = Path.GetDirectoryName(dir);
    return dir ?? Directory.GetCurrentDirectory();
}

static void Row(int size, string step, CliRun run, string result) =>
    Console.WriteLine($"| {size}+{size} | {step} | {run.Wall.TotalSeconds:F2} s | {run.CpuSeconds:F2} s | {run.PeakMegabytes} MB | exit {run.ExitCode}; {result} |");

// The machine may be shared: the load average says how much the wall times are stretched.
static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

static string Summary(string output)
{
    var rows = Regex.Matches(output, @"│ (Connections|Datastores)\s*│ (\d+)\s*│ (\d+)\s*│ (\d+)\s*│ (\d+)")
        .Select(m => $"{m.Groups[1].Value.ToLowerInvariant()} {m.Groups[2].Value}c/{m.Groups[3].Value}u/{m.Groups[4].Value}=/{m.Groups[5].Value}f");
    return string.Join(", ", rows);
}

/// <summary>A config folder with <paramref name="size"/> connections and as many datastores, secrets as a variable.</summary>
static string WriteFolder(string root, int size, string prefix = "")
{
    Directory.CreateDirectory(Path.Combine(root, "connections"));
    for (var i = 0; i < size; i++)
    {
        File.WriteAllText(Path.Combine(root, "connections", $"conn-{i:D5}.yaml"),
            $"name: {prefix}conn-{i:D5}\ntype: postgresql\nhost: db-{i % 50}.example.com\nport: 5432\nusername: reader\npassword: ${{BENCH_PASSWORD}}\ndatabase: app\n");
        var datastore = Path.Combine(root, "datastores", $"ds-{i:D5}");
        Directory.CreateDirectory(datastore);
        File.WriteAllText(Path.Combine(datastore, "_datastore.yaml"),
            $"name: {prefix}ds-{i:D5}\nconnection: {prefix}conn-{i:D5}\ndatabase: app\nschema: public\ntags:\n  - bench\n  - shard-{i % 10}\n");
    }
    return root;
}

/// <summary>Runs the CLI under /usr/bin/time -v, for its wall time and peak resident memory.</summary>
static async Task<CliRun> RunCliAsync(string cli, string url, string folder, params string[] extra)
{
    var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var arg in new[] { "-v", "dotnet", cli, "config", "import", "--input", folder }.Concat(extra)) start.ArgumentList.Add(arg);
    start.Environment["QUARRY_URL"] = url;
    start.Environment["QUARRY_TOKEN"] = token;
    start.Environment["BENCH_PASSWORD"] = password;
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    clock.Stop();
    var err = await stderr;
    var peak = Regex.Match(err, @"Maximum resident set size \(kbytes\): (\d+)");
    var output = await stdout;
    var cpu = Regex.Matches(err, @"(User|System) time \(seconds\): ([\d.]+)").Sum(m => double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    if (output.Contains(password) || err.Contains(password)) throw new InvalidOperationException("The secret appeared in the CLI's output.");
    return new CliRun(process.ExitCode, clock.Elapsed, cpu, peak.Success ? long.Parse(peak.Groups[1].Value) / 1024 : -1, output + err);
}

/// <summary>Onboarding by script: POST each connection, then POST each datastore, one request at a time.</summary>
static async Task<TimeSpan> PostEachAsync(string url, int size)
{
    using var client = new HttpClient { BaseAddress = new Uri(url) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var clock = Stopwatch.StartNew();
    var ids = new Dictionary<string, int>();
    for (var i = 0; i < size; i++)
    {
        var name = $"py-conn-{i:D5}";
        var response = await client.PostAsJsonAsync("/api/connections", new { name, type = "postgresql", host = $"db-{i % 50}.example.com", port = 5432, username = "reader", password, database = "app" });
        response.EnsureSuccessStatusCode();
        ids[name] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }
    for (var i = 0; i < size; i++)
    {
        var response = await client.PostAsJsonAsync("/api/datastores", new { name = $"py-ds-{i:D5}", connection_id = ids[$"py-conn-{i:D5}"], database = "app", schema = "public", tags = new[] { "bench", $"shard-{i % 10}" } });
        response.EnsureSuccessStatusCode();
    }
    return clock.Elapsed;
}

/// <summary>The server's share of a re-run: one plan request for the same desired state, timed by itself.</summary>
static async Task<TimeSpan> PlanOnlyAsync(string url, int size)
{
    using var client = new HttpClient { BaseAddress = new Uri(url) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var body = new
    {
        @namespace = "bench-config",
        connections = Enumerable.Range(0, size).Select(i => new { name = $"conn-{i:D5}", type = "postgresql", host = $"db-{i % 50}.example.com", port = 5432, username = "reader", password, database = "app" }).ToList(),
        datastores = Enumerable.Range(0, size).Select(i => new { name = $"ds-{i:D5}", connection = $"conn-{i:D5}", database = "app", schema = "public", tags = new[] { "bench", $"shard-{i % 10}" } }).ToList(),
    };
    var best = TimeSpan.MaxValue;
    for (var run = 0; run < 3; run++)
    {
        var clock = Stopwatch.StartNew();
        var response = await client.PostAsJsonAsync("/api/config/plan", body);
        var text = await response.Content.ReadAsStringAsync();
        clock.Stop();
        response.EnsureSuccessStatusCode();
        if (text.Contains("\"create\"") || text.Contains("\"update\"")) throw new InvalidOperationException("The plan should be all unchanged.");
        if (clock.Elapsed < best) best = clock.Elapsed;
    }
    return best;
}

/// <summary>Row counts and latest update times: equal before and after a run means the run wrote nothing.</summary>
static async Task<string> SnapshotAsync(IServiceProvider services)
{
    await using var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
    var connections = await db.Connections.CountAsync();
    var datastores = await db.Datastores.CountAsync();
    var tags = await db.DatastoreTags.CountAsync();
    var teams = await db.DatastoreTeams.CountAsync();
    var updated = await db.Connections.MaxAsync(c => (DateTime?)c.UpdatedAt);
    var updatedDatastores = await db.Datastores.MaxAsync(d => (DateTime?)d.UpdatedAt);
    return $"{connections}/{datastores}/{tags}/{teams}/{updated:O}/{updatedDatastores:O}";
}

static async Task<string> CreateDatabaseAsync(string admin)
{
    var name = $"quarry_bench_{Guid.NewGuid():N}";
    await using var connection = new Npgsql.NpgsqlConnection(admin);
    await connection.OpenAsync();
    await using (var command = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection)) await command.ExecuteNonQueryAsync();
    return new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
}

static async Task DropDatabaseAsync(string admin, string database)
{
    Npgsql.NpgsqlConnection.ClearAllPools();
    await using var connection = new Npgsql.NpgsqlConnection(admin);
    await connection.OpenAsync();
    var name = new Npgsql.NpgsqlConnectionStringBuilder(database).Database;
    await using var command = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
    await command.ExecuteNonQueryAsync();
}

internal sealed record CliRun(int ExitCode, TimeSpan Wall, double CpuSeconds, long PeakMegabytes, string Output);
