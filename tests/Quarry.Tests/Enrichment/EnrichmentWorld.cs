using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Quarry.Server.Anomalies;
using Quarry.Server.Catalog;
using Quarry.Server.Operations;
using Quarry.Server.Operations.Scan;
using Quarry.Server.Quality;
using Quarry.Server.Store;
using Quarry.Tests.Support;

namespace Quarry.Tests.Enrichment;

/// <summary>
/// A real server with an <see cref="EnrichmentTarget"/> and source datastores linked to it, whose catalogs, checks and
/// scan results are written through the server's own store (QuarryDb), as a sync and a scan would.
/// </summary>
public sealed class EnrichmentWorld : IAsyncDisposable
{
    private EnrichmentWorld(QuarryTestServer server, EnrichmentTarget target) => (Server, Target) = (server, target);

    public QuarryTestServer Server { get; }
    public EnrichmentTarget Target { get; }

    public static async Task<EnrichmentWorld> StartAsync(EnrichmentKind kind, StoreKind store = StoreKind.Sqlite, (string User, string Password)? login = null)
    {
        var server = await QuarryTestServer.StartAsync(store);
        return new EnrichmentWorld(server, await EnrichmentTarget.CreateAsync(server, kind, login));
    }

    /// <summary>A source datastore linked to the enrichment datastore, with one container holding <paramref name="fields"/>.</summary>
    public async Task<(int Datastore, int Container)> AddSourceAsync(string name, string prefix, string container, params string[] fields)
    {
        var connectionId = await Server.Admin.CreateIdAsync("/api/connections",
            new { name = name + "-db", type = "postgresql", host = "db.example.com", port = 5432, username = "reader", password = "pw", database = "shop" });
        var datastore = await Server.Admin.CreateIdAsync("/api/datastores", new
        {
            name, connection_id = connectionId, database = "shop", schema = "public", enrichment_datastore_id = Target.DatastoreId, enrichment_prefix = prefix,
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

    public Task<List<Dictionary<string, object?>>?> RowsAsync(string table, string orderBy = "1") => Target.RowsAsync(table, orderBy);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Target.DisposeAsync();
    }
}
