using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quarry.Server.Anomalies;
using Quarry.Server.Catalog;
using Quarry.Server.Operations;
using Quarry.Server.Operations.Scan;
using Quarry.Server.Quality;
using Quarry.Server.Store;
using Quarry.Tests.Support;

namespace Quarry.Tests.Enrichment;

/// <summary>Where an enrichment datastore keeps its tables in a test: a SQLite file, or a schema of a real PostgreSQL database.</summary>
public enum EnrichmentKind
{
    Sqlite,
    PostgreSql,
}

public sealed class BothEnrichmentKinds : TheoryData<EnrichmentKind>
{
    public BothEnrichmentKinds()
    {
        Add(EnrichmentKind.Sqlite);
        Add(EnrichmentKind.PostgreSql);
    }
}

/// <summary>
/// A real server, an enrichment datastore on a real SQLite file or PostgreSQL schema (named with a space, so quoting
/// matters), and source datastores linked to it whose catalogs, checks and scan results are written through the
/// server's own store (QuarryDb), as a sync and a scan would.
/// </summary>
public sealed class EnrichmentWorld : IAsyncDisposable
{
    public const string PostgresSchema = "Quality Results";

    private readonly string _folder = Directory.CreateTempSubdirectory("quarry-enrichment-").FullName;

    private EnrichmentWorld(QuarryTestServer server, EnrichmentKind kind) => (Server, Kind) = (server, kind);

    public QuarryTestServer Server { get; }
    public EnrichmentKind Kind { get; }
    public int EnrichmentDatastoreId { get; private set; }
    public string? SqlitePath { get; private set; }
    public string? PostgresConnectionString { get; private set; }

    /// <summary>Starts the world; on PostgreSQL the enrichment connection logs in as <paramref name="login"/> when given (else the cluster's superuser).</summary>
    public static async Task<EnrichmentWorld> StartAsync(EnrichmentKind kind, StoreKind store = StoreKind.Sqlite, (string User, string Password)? login = null)
    {
        var world = new EnrichmentWorld(await QuarryTestServer.StartAsync(store), kind);
        object connection;
        string schema;
        if (kind == EnrichmentKind.Sqlite)
        {
            world.SqlitePath = Path.Combine(world._folder, "enrichment.db");
            await SourceDatabases.ExecuteSqliteAsync(world.SqlitePath, "PRAGMA user_version = 1");
            (connection, schema) = (new { name = "results-db", type = "sqlite", path = world.SqlitePath }, "main");
        }
        else
        {
            world.PostgresConnectionString = await TestPostgres.CreateDatabaseAsync("quarry_enrichment");
            await TestPostgres.ExecuteAsync($"CREATE SCHEMA \"{PostgresSchema}\"", world.PostgresConnectionString);
            if (login is { } l) await TestPostgres.ExecuteAsync($"GRANT USAGE ON SCHEMA \"{PostgresSchema}\" TO {l.User}", world.PostgresConnectionString);
            (connection, schema) = (SourceDatabases.PostgresConnection("results-db", world.PostgresConnectionString, login?.User, login?.Password), PostgresSchema);
        }
        var connectionId = await world.Server.Admin.CreateIdAsync("/api/connections", connection);
        world.EnrichmentDatastoreId = await world.Server.Admin.CreateIdAsync("/api/datastores",
            new { name = "results", connection_id = connectionId, database = kind == EnrichmentKind.PostgreSql ? new NpgsqlConnectionStringBuilder(world.PostgresConnectionString).Database : null, schema, enrichment_only = true });
        return world;
    }

    /// <summary>A source datastore linked to the enrichment datastore, with one container holding <paramref name="fields"/>.</summary>
    public async Task<(int Datastore, int Container)> AddSourceAsync(string name, string prefix, string container, params string[] fields)
    {
        var connectionId = await Server.Admin.CreateIdAsync("/api/connections",
            new { name = name + "-db", type = "postgresql", host = "db.example.com", port = 5432, username = "reader", password = "pw", database = "shop" });
        var datastore = await Server.Admin.CreateIdAsync("/api/datastores", new
        {
            name, connection_id = connectionId, database = "shop", schema = "public", enrichment_datastore_id = EnrichmentDatastoreId, enrichment_prefix = prefix,
        });
        return (datastore, await AddContainerAsync(datastore, container, fields));
    }

    public async Task<int> AddContainerAsync(int datastore, string name, params string[] fields) =>
        await WithStoreAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var container = new Container
            {
                DatastoreId = datastore, Name = name, ContainerType = "table", CreatedAt = now, UpdatedAt = now,
                Fields = fields.Select((f, i) => new Field { Name = f, DataType = "text", Ordinal = i + 1, Nullable = true, CreatedAt = now, UpdatedAt = now }).ToList(),
            };
            db.Containers.Add(container);
            await db.SaveChangesAsync();
            return container.Id;
        });

    /// <summary>Adds <paramref name="count"/> notNull checks on <paramref name="field"/>, as the API would store them.</summary>
    public async Task<List<int>> AddChecksAsync(int container, string field, int count) =>
        await WithStoreAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var checks = Enumerable.Range(1, count).Select(i => new QualityCheck
            {
                ContainerId = container, Rule = "notNull", FieldsJson = JsonSerializer.Serialize(new[] { field }), IdentityKey = $"uid:check-{container}-{i}",
                Uid = $"check-{container}-{i}", Description = $"{field} is set ({i})", CreatedAt = now, UpdatedAt = now,
            }).ToList();
            db.QualityChecks.AddRange(checks);
            await db.SaveChangesAsync();
            return checks.Select(c => c.Id).ToList();
        });

    /// <summary>
    /// Records a finished scan of <paramref name="datastore"/> the way the scan does: a container scan per container,
    /// a check result per check, and, for each check in <paramref name="failing"/>, an anomaly with its sample rows.
    /// </summary>
    public async Task<int> RecordScanAsync(int datastore, IReadOnlyList<(int Container, List<int> Checks, long Rows)> containers,
        IReadOnlyDictionary<int, (long Failed, string SamplesJson)> failing) =>
        await WithStoreAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var operation = new Operation
            {
                Type = "scan", DatastoreId = datastore, State = OperationState.Finished, Result = OperationResult.Success,
                CreatedAt = now, StartTime = now.AddSeconds(-3), EndTime = now,
            };
            db.Operations.Add(operation);
            await db.SaveChangesAsync();
            foreach (var (container, checks, rows) in containers)
            {
                var failed = checks.Count(failing.ContainsKey);
                db.ContainerScans.Add(new ContainerScan
                {
                    OperationId = operation.Id, DatastoreId = datastore, ContainerId = container, RecordCount = rows,
                    ChecksPassed = checks.Count - failed, ChecksFailed = failed, CreatedAt = now,
                });
                foreach (var check in checks)
                {
                    Anomaly? anomaly = null;
                    if (failing.TryGetValue(check, out var failure))
                    {
                        anomaly = new Anomaly
                        {
                            Uuid = Guid.NewGuid().ToString(), DatastoreId = datastore, ContainerId = container, CheckId = check, OperationId = operation.Id,
                            LastOperationId = operation.Id, Rule = "notNull", AssertedRecords = rows, AnomalousRecords = failure.Failed,
                            Message = $"{failure.Failed} of {rows} rows are null", SourceRecordsJson = failure.SamplesJson, CreatedAt = now, UpdatedAt = now,
                        };
                        db.Anomalies.Add(anomaly);
                        await db.SaveChangesAsync();
                    }
                    db.CheckResults.Add(new CheckResult
                    {
                        OperationId = operation.Id, DatastoreId = datastore, ContainerId = container, CheckId = check,
                        Result = anomaly is null ? CheckOutcome.Passed : CheckOutcome.Failed, AssertedRecords = rows,
                        AnomalousRecords = anomaly is null ? 0 : failure.Failed, AnomalyId = anomaly?.Id, CreatedAt = now,
                    });
                }
            }
            await db.SaveChangesAsync();
            return operation.Id;
        });

    /// <summary>Runs the write-back of one scan in the server, as the scan does at its end.</summary>
    public async Task<EnrichmentWritten?> WriteBackAsync(int operationId)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EnrichmentWriteBack>().WriteAsync(operationId, CancellationToken.None);
    }

    public async Task<T> WithStoreAsync<T>(Func<QuarryDb, Task<T>> work)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<QuarryDb>());
    }

    /// <summary>Every row of an enrichment table, as column → value, ordered by <paramref name="orderBy"/>; null when the table does not exist.</summary>
    public async Task<List<Dictionary<string, object?>>?> RowsAsync(string table, string orderBy = "1")
    {
        if (Kind == EnrichmentKind.Sqlite)
        {
            await using var db = new SqliteConnection($"Data Source={SqlitePath};Pooling=False");
            await db.OpenAsync();
            await using var exists = new SqliteCommand("SELECT count(*) FROM sqlite_master WHERE name = @name", db);
            exists.Parameters.AddWithValue("@name", table);
            if ((long)(await exists.ExecuteScalarAsync())! == 0) return null;
            return await ReadAsync(new SqliteCommand($"SELECT * FROM main.\"{table}\" ORDER BY {orderBy}", db));
        }
        await using var pg = new NpgsqlConnection(PostgresConnectionString);
        await pg.OpenAsync();
        await using var found = new NpgsqlCommand("SELECT to_regclass(format('%I.%I', @schema, @table)) IS NOT NULL", pg);
        found.Parameters.AddWithValue("schema", PostgresSchema);
        found.Parameters.AddWithValue("table", table);
        if (!(bool)(await found.ExecuteScalarAsync())!) return null;
        return await ReadAsync(new NpgsqlCommand($"SELECT * FROM \"{PostgresSchema}\".\"{table}\" ORDER BY {orderBy}", pg));
    }

    /// <summary>Runs SQL in the enrichment datastore (to prepare a table in its way).</summary>
    public async Task ExecuteAsync(string sql)
    {
        if (Kind == EnrichmentKind.Sqlite) await SourceDatabases.ExecuteSqliteAsync(SqlitePath!, sql);
        else await TestPostgres.ExecuteAsync(sql, PostgresConnectionString);
    }

    /// <summary>The schema-qualified, quoted name of an enrichment table in this world's database.</summary>
    public string Qualified(string table) => Kind == EnrichmentKind.Sqlite ? $"main.\"{table}\"" : $"\"{PostgresSchema}\".\"{table}\"";

    private static async Task<List<Dictionary<string, object?>>> ReadAsync(System.Data.Common.DbCommand command)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<Dictionary<string, object?>>();
            while (await reader.ReadAsync())
                rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
            return rows;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        if (PostgresConnectionString is not null) await TestPostgres.DropDatabaseAsync(PostgresConnectionString);
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }
}
