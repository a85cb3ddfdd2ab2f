using Npgsql;
using Quarry.Server.Anomalies;
using Quarry.Server.Operations.Scan;

namespace Quarry.Tests.Scan;

/// <summary>
/// The kinds of source a scan test runs against: a real PostgreSQL database, a real SQLite file, a real MariaDB database
/// and a real folder of Parquet files.
/// </summary>
public sealed class BothSources : TheoryData<string>
{
    public BothSources()
    {
        Add("postgresql");
        Add("sqlite");
        Add("mysql");
        Add("files");
    }
}

/// <summary>The sources a profile reads: the connectors whose dialect answers the profile's questions (all four).</summary>
public sealed class ProfiledSources : TheoryData<string>
{
    public ProfiledSources()
    {
        Add("postgresql");
        Add("sqlite");
        Add("mysql");
        Add("files");
    }
}

/// <summary>
/// A real server (SQLite store) with one datastore over a real source, synced, whose tables the test creates with
/// <see cref="ExecuteAsync"/> before <see cref="SyncAsync"/>. Checks go in through the API; results are read back
/// from the store the scan wrote.
/// </summary>
public sealed partial class ScanWorld : IAsyncDisposable
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\b(timestamp|text)\b(?!\s*\()", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex MySqlTypes();

    private readonly string? _postgres;
    private readonly string? _folder;

    /// <summary>A MySQL source: the database (schema) on the test MariaDB and the login that reads it.</summary>
    private (string Schema, string User, string Password)? _mysql;

    /// <summary>The other MariaDB databases <see cref="AddDatastoreAsync"/> made, dropped with the world.</summary>
    private readonly List<string> _otherMySqlDatabases = [];

    private ScanWorld(QuarryTestServer server, string kind, string? postgres, string? folder)
    {
        (Server, Kind, _postgres, _folder) = (server, kind, postgres, folder);
    }

    public QuarryTestServer Server { get; }
    public string Kind { get; }
    public int ConnectionId { get; private set; }
    public int DatastoreId { get; private set; }
    public HttpClient Admin => Server.Admin;
    public string? SqlitePath => _folder is null ? null : Path.Combine(_folder, "source.db");

    /// <summary>The password of the login the connection reads the source with (PostgreSQL given a login, MariaDB); null when it has none.</summary>
    public string? SourcePassword { get; private set; }

    /// <summary>On MariaDB, the database the datastore reads and the login that reads it.</summary>
    public string? SourceSchema => _mysql?.Schema;

    public string? SourceUser => _mysql?.User;

    /// <summary>A source of <paramref name="kind"/> with the tables <paramref name="setup"/> creates, synced into one datastore.</summary>
    public static async Task<ScanWorld> StartAsync(string kind, string setup, StoreKind store = StoreKind.Sqlite, object? parameters = null,
        (string User, string Password)? login = null)
    {
        var server = await QuarryTestServer.StartAsync(store);
        ScanWorld world;
        object connection;
        if (kind == "postgresql")
        {
            var source = await TestPostgres.CreateDatabaseAsync("quarry_scan");
            world = new ScanWorld(server, kind, source, null) { SourcePassword = login?.Password };
            var b = new NpgsqlConnectionStringBuilder(source);
            connection = new { name = "source", type = "postgresql", host = b.Host, port = b.Port, username = login?.User ?? b.Username,
                password = login?.Password ?? "unused", database = b.Database, parameters };
            if (login is { } l) await TestPostgres.ExecuteAsync($"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {l.User}; ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {l.User};", source);
        }
        else if (kind == "mysql")
        {
            world = new ScanWorld(server, kind, null, null) { _mysql = await TestMariaDb.CreateReadableDatabaseAsync("quarry_scan") };
            world.SourcePassword = world._mysql.Value.Password;
            connection = TestMariaDb.Connection("source", world._mysql.Value.User, world._mysql.Value.Password);
        }
        else if (kind == "files")
        {
            // The folder's "data" sub-folder is the datastore; the DuckDB state the tests' SQL runs in stays outside it.
            var folder = Directory.CreateTempSubdirectory("quarry-scan-").FullName;
            world = new ScanWorld(server, kind, null, folder);
            Directory.CreateDirectory(Path.Combine(folder, "source"));
            connection = new { name = "source", type = "files", path = Path.Combine(folder, "source"), parameters };
        }
        else
        {
            var folder = Directory.CreateTempSubdirectory("quarry-scan-").FullName;
            world = new ScanWorld(server, kind, null, folder);
            connection = new { name = "source", type = "sqlite", path = world.SqlitePath, parameters };
        }
        await world.ExecuteAsync(setup);
        world.ConnectionId = await SyncApi.CreateConnectionAsync(server.Admin, connection);
        world.DatastoreId = await SyncApi.CreateDatastoreAsync(server.Admin, world.ConnectionId, "shop",
            kind == "postgresql" ? new NpgsqlConnectionStringBuilder(world._postgres).Database : null,
            kind switch { "postgresql" => "public", "mysql" => world._mysql!.Value.Schema, "files" => "data", _ => "main" });
        await world.SyncAsync();
        return world;
    }

    /// <summary>Runs SQL on the source, written so that both databases read it (standard types, ISO dates as text literals).</summary>
    public Task ExecuteAsync(string sql)
    {
        if (_postgres is not null) return TestPostgres.ExecuteAsync(sql, _postgres);
        // MySQL's TIMESTAMP ends in 2038 and its TEXT at 64 KB: the tests' timestamps (year 2999 among them) are
        // DATETIME there, and their texts (100,000 characters among them) LONGTEXT.
        if (_mysql is { } mysql) return TestMariaDb.ExecuteAsync(MySqlTypes().Replace(sql, m => m.Value.ToLowerInvariant() == "text" ? "longtext" : "datetime"), mysql.Schema);
        if (Kind == "files")
        {
            FilesSource.ExecuteIntoFolder(Path.Combine(_folder!, "state.duckdb"), Path.Combine(_folder!, "source", "data"), sql);
            return Task.CompletedTask;
        }
        return SourceDatabases.ExecuteSqliteAsync(SqlitePath!, sql);
    }

    /// <summary>
    /// A second datastore of the same connection, named <paramref name="name"/>, holding the tables <paramref name="setup"/>
    /// creates, synced: another schema of the database on PostgreSQL, another database on MariaDB, another sub-folder of the
    /// root on files, and on SQLite another file that the connection attaches under that name.
    /// </summary>
    public async Task<int> AddDatastoreAsync(string name, string setup)
    {
        string? database = null;
        var schema = name;
        if (_postgres is not null)
        {
            await TestPostgres.ExecuteAsync($"CREATE SCHEMA {name}; SET search_path TO {name};\n{setup}", _postgres);
            database = new NpgsqlConnectionStringBuilder(_postgres).Database;
        }
        else if (_mysql is { } mysql)
        {
            schema = $"{mysql.Schema}_{name}";
            _otherMySqlDatabases.Add(schema);
            await TestMariaDb.ExecuteAsync($"CREATE DATABASE {TestMariaDb.Quote(schema)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin; "
                + $"GRANT SELECT, SHOW VIEW ON {TestMariaDb.Quote(schema)}.* TO '{mysql.User}'@'127.0.0.1';");
            await TestMariaDb.ExecuteAsync(MySqlTypes().Replace(setup, m => m.Value.ToLowerInvariant() == "text" ? "longtext" : "datetime"), schema);
        }
        else if (Kind == "files")
        {
            FilesSource.ExecuteIntoFolder(Path.Combine(_folder!, $"state-{name}.duckdb"), Path.Combine(_folder!, "source", name), setup);
        }
        else
        {
            var file = Path.Combine(_folder!, name + ".db");
            await SourceDatabases.ExecuteSqliteAsync(file, setup);
            await Admin.ExpectAsync(System.Net.HttpStatusCode.OK, HttpMethod.Put, $"/api/connections/{ConnectionId}",
                new { parameters = new Dictionary<string, object> { ["attach"] = new Dictionary<string, string> { [name] = file } } });
        }
        var id = await SyncApi.CreateDatastoreAsync(Admin, ConnectionId, name, database, schema);
        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(Admin, id)).Result);
        return id;
    }

    public async Task SyncAsync() => Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(Admin, DatastoreId)).Result);

    public async Task<int> AddCheckAsync(string container, string rule, string[] fields, object? properties = null, string? filter = null, double? coverage = null, string? uid = null)
    {
        var check = await QuarryTestServer.PostJsonAsync<JsonElement>(Admin, "/api/quality-checks",
            new { datastore_id = DatastoreId, container_name = container, rule, fields, properties, filter, coverage, uid });
        return check.GetProperty("id").GetInt32();
    }

    public async Task<OperationDto> StartScanAsync(string[]? containers = null, bool resolvePassing = false) =>
        await QuarryTestServer.PostJsonAsync<OperationDto>(Admin, "/api/operations/run",
            new { type = "scan", datastore_id = DatastoreId, container_names = containers, resolve_passing_anomalies = resolvePassing });

    /// <summary>Scans and waits for the scan to finish.</summary>
    public async Task<OperationDto> ScanAsync(string[]? containers = null, bool resolvePassing = false) =>
        await SyncApi.WaitAsync(Admin, (await StartScanAsync(containers, resolvePassing)).Id);

    /// <summary>Scans, asserts that the scan succeeded, and answers the check results it recorded, by check id.</summary>
    public async Task<Dictionary<int, CheckResult>> ScanResultsAsync()
    {
        var scan = await ScanAsync();
        Assert.Equal(OperationResult.Success, scan.Result);
        return await ResultsAsync(scan.Id);
    }

    /// <summary>A check result as one line: its outcome, anomalous/asserted records and message.</summary>
    public static string Outcome(CheckResult result) => $"{result.Result} {result.AnomalousRecords}/{result.AssertedRecords} {result.Message}";

    /// <summary>
    /// Adds one check on <paramref name="container"/> per case, scans, and asserts each case's outcome and anomalous
    /// records, compared as lines <c>index rule(fields) outcome</c> so that a failure shows every case at once; answers the
    /// scan, the cases' check ids (in case order) and the results.
    /// </summary>
    public async Task<(OperationDto Scan, List<int> Ids, Dictionary<int, CheckResult> Results)> ScanCasesAsync(string container,
        IReadOnlyList<(string Rule, string[] Fields, object? Properties, string? Filter, string Outcome, long Failing)> cases)
    {
        var ids = new List<int>();
        foreach (var (rule, fields, properties, filter, _, _) in cases) ids.Add(await AddCheckAsync(container, rule, fields, properties, filter, uid: $"case-{ids.Count}"));

        var scan = await ScanAsync();

        Assert.Equal(OperationResult.Success, scan.Result);
        var results = await ResultsAsync(scan.Id);
        string Line(int i, string outcome) => $"{i} {cases[i].Rule}({string.Join(",", cases[i].Fields)}) {outcome}";
        var expected = cases.Select((c, i) => Line(i, $"{c.Outcome} {c.Failing}"));
        // An unasserted check shows its message, so a failure here says what the source refused.
        var actual = cases.Select((c, i) => results[ids[i]] is var r && r.Result == CheckOutcome.Unasserted ? Line(i, $"unasserted: {r.Message}") : Line(i, $"{r.Result} {r.AnomalousRecords}"));
        Assert.Equal(string.Join("\n", expected), string.Join("\n", actual));
        return (scan, ids, results);
    }

    /// <summary>The check results one scan recorded, by check id.</summary>
    public async Task<Dictionary<int, CheckResult>> ResultsAsync(int operationId)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
        return await db.CheckResults.AsNoTracking().Where(r => r.OperationId == operationId).ToDictionaryAsync(r => r.CheckId);
    }

    public async Task<List<Anomaly>> AnomaliesAsync()
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
        return await db.Anomalies.AsNoTracking().Where(a => a.DatastoreId == DatastoreId).OrderBy(a => a.Id).ToListAsync();
    }

    public async Task<List<ContainerScan>> ContainerScansAsync(int operationId)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
        return await db.ContainerScans.AsNoTracking().Where(s => s.OperationId == operationId).OrderBy(s => s.ContainerId).ToListAsync();
    }

    /// <summary>Sets the datastore's source record limit through the API; answers the response.</summary>
    public Task<HttpResponseMessage> SetSourceRecordLimitAsync(int limit) =>
        Admin.PutAsJsonAsync($"/api/datastores/{DatastoreId}", new { source_record_limit = limit }, QuarryTestServer.Json);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        if (_postgres is not null) await TestPostgres.DropDatabaseAsync(_postgres);
        if (_folder is not null) Directory.Delete(_folder, recursive: true);
        foreach (var other in _otherMySqlDatabases) await TestMariaDb.ExecuteAsync($"DROP DATABASE IF EXISTS {TestMariaDb.Quote(other)}");
        if (_mysql is { } mysql) await TestMariaDb.DropDatabaseAsync(mysql.Schema, mysql.User);
    }
}
