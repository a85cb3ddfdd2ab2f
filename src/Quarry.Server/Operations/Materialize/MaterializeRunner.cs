using System.Text.RegularExpressions;
using Quarry.Server.Operations.Scan;

namespace Quarry.Server.Operations.Materialize;

/// <summary>
/// The <c>materialize</c> operation: copies containers' rows (every computed container of the datastore, or the named
/// containers) into its enrichment datastore as tables <c>&lt;prefix&gt;_mat_&lt;container&gt;</c>, each replacing the
/// previous copy. Where the source and the enrichment datastore share a connection and a database, the database copies
/// them itself (<c>CREATE TABLE … AS SELECT</c>); otherwise Quarry streams the rows across in bounded batches, never
/// holding a container in memory (docs/enrichment.md "Materialize").
/// </summary>
public sealed partial class MaterializeRunner(QuarryDb db, ConnectorRegistry connectors, ConnectionService connections, OperationProgress progress,
    ILogger<MaterializeRunner> logger) : IOperationRunner
{
    public const string TypeName = "materialize";

    /// <summary>Rows per batch when streaming: one batch is all a materialize holds in memory.</summary>
    internal const int BatchSize = 1000;

    private const string What = "materialized containers";

    public string LeftUntouched => "the containers copied before it stopped kept their new tables, and the others their previous ones";

    public string? ParametersOf(RunOperationRequest request) => MaterializeParameters.Of(request).ToJson();

    public Task EnsureCanRunAsync(QuarryDb store, int datastoreId, CancellationToken ct) =>
        EnrichmentDestination.EnsureOfSourceAsync(store, connectors, connections, datastoreId, What, ct);

    public async Task<OperationOutcome> RunAsync(Operation operation, CancellationToken ct)
    {
        var parameters = MaterializeParameters.Read(operation.ParametersJson);
        var loaded = await DatastoreSource.LoadAsync(db, connectors, operation.DatastoreId, ct);
        var (datastore, connection, connector, scope) = loaded;
        var source = await loaded.ReadableAsync(db, "read rows of", "nothing was materialized", ct);
        var destination = await EnrichmentDestination.OfRunAsync(db, connectors, connections, datastore, What, "Nothing was materialized.", ct);

        var sources = await ContainerSources.LoadAsync(db, datastore.Id, scope.Schema, ct);
        var chosen = Choose(datastore.Name, sources.Containers.Values, parameters.ContainerNames);
        // A container's computed fields are copied with it, as columns after its own.
        var chosenIds = chosen.Select(c => c.Id).ToList();
        var computedFields = (await db.ComputedFields.AsNoTracking().Where(f => chosenIds.Contains(f.ContainerId)).OrderBy(f => f.Id).ToListAsync(ct))
            .ToLookup(f => f.ContainerId);
        // One database on both sides: it copies the rows itself and none pass through Quarry.
        var pushDown = destination.Writer.CopiesFromQuery && datastore.ConnectionId == destination.Target.ConnectionId && scope.Catalog == destination.Catalog;
        var details = connections.Details(connection);

        await progress.ReportAsync(operation.Id, chosen.Count, 0, ct);
        var done = new List<MaterializedContainer>();
        foreach (var container in chosen)
        {
            await progress.ThrowIfAbortRequestedAsync(operation.Id, ct);
            var sql = new SqlText(connector.Dialect);
            string relation;
            try { relation = sources.WithComputedFields(sql, container, computedFields[container.Id].ToList()); }
            catch (ScanCheckException e) { throw Stopped(container, done, e.Message, null); }
            var select = $"SELECT * FROM {relation} AS t" + (parameters.MaxRecords is long max ? " " + connector.Dialect.Limit((int)Math.Min(max, int.MaxValue)) : "");
            var table = TableName(destination.Prefix, container);
            long rows;
            try
            {
                rows = pushDown
                    ? await destination.Writer.ReplaceTableFromQueryAsync(destination.Connection, destination.Catalog, destination.Schema, table, scope.Schema, select, ct)
                    : await StreamAsync(source, details, scope, sql.Statement(select), destination, table, ct);
            }
            catch (ConnectorException e) { throw Stopped(container, done, e.Message, e); }
            done.Add(new MaterializedContainer(container.Id, container.Name, table, rows, pushDown));
            await progress.ReportAsync(operation.Id, chosen.Count, done.Count, ct);
            logger.LogInformation("Materialize {OperationId}: container {ContainerId} copied ({Rows} rows, push-down {PushDown})", operation.Id, container.Id, rows, pushDown);
        }

        var result = new MaterializeResult(done);
        var message = done.Count == 0
            ? $"Datastore '{datastore.Name}' has no computed containers; nothing was materialized. Name containers with container_names to copy tables."
            : $"Materialized {done.Count} container{(done.Count == 1 ? "" : "s")} ({done.Sum(d => d.Rows)} rows) into {destination.Where}: "
              + string.Join(", ", done.Select(d => $"{d.ContainerName} → {d.Table}")) + ".";
        return new OperationOutcome(message, result.ToJson());
    }

    /// <summary>Streams the container's rows from the source into a new table, batch by batch; answers the rows copied.</summary>
    private static async Task<long> StreamAsync(ISourceQueries source, ConnectionDetails details, SourceScope scope, SourceStatement statement,
        EnrichmentDestination destination, string table, CancellationToken ct)
    {
        long rows = 0;
        await destination.Writer.ReplaceTableAsync(destination.Connection, destination.Catalog, destination.Schema, table, async target =>
        {
            var copy = new CopySink(target);
            await source.StreamRowsAsync(details, scope, statement, copy, ct);
            rows = copy.Rows;
        }, ct);
        return rows;
    }

    /// <summary>The named containers (each must exist), or every computed container still there, in name order.</summary>
    private static List<Container> Choose(string datastore, IEnumerable<Container> all, IReadOnlyList<string>? names)
    {
        var present = all.Where(c => !c.Removed).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        if (names is null) return present.Where(c => ComputedKinds.IsComputed(c.ContainerType)).ToList();
        var missing = names.Where(n => present.All(c => c.Name != n)).ToList();
        if (missing.Count > 0)
            throw new ConnectorException(ConnectorFailure.Other,
                $"Datastore '{datastore}' has no container named {string.Join(", ", missing.Select(m => $"'{m}'"))}; nothing was materialized.");
        return names.Select(n => present.First(c => c.Name == n)).ToList();
    }

    /// <summary>
    /// <c>&lt;prefix&gt;_mat_&lt;name&gt;</c>, as Qualytics names it; a name that is long or holds anything but letters, digits and
    /// '_' would not be a valid table name everywhere, so such a container goes to <c>&lt;prefix&gt;_materialize_&lt;id&gt;</c>.
    /// </summary>
    internal static string TableName(string prefix, Container container) =>
        container.Name.Length <= 60 && PlainName().IsMatch(container.Name) ? $"{prefix}_mat_{container.Name}" : $"{prefix}_materialize_{container.Id}";

    private static ConnectorException Stopped(Container container, List<MaterializedContainer> done, string reason, Exception? inner) =>
        new(inner is ConnectorException c ? c.Failure : ConnectorFailure.Other,
            $"Materializing container '{container.Name}' failed: {reason.TrimEnd('.')}. {done.Count} container{(done.Count == 1 ? " was" : "s were")} copied before it"
            + " and kept; this one and the rest kept their previous tables.", inner);

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex PlainName();

    /// <summary>Passes what the source reads to the new table: its columns' kinds from the first row, then each batch as it comes.</summary>
    private sealed class CopySink(IEnrichmentTableSink target) : ISourceRowSink
    {
        private EnrichmentType[] _kinds = [];

        public long Rows { get; private set; }

        public int BatchSize => MaterializeRunner.BatchSize;

        public Task ColumnsAsync(IReadOnlyList<SourceColumn> columns, CancellationToken ct)
        {
            _kinds = columns.Select(c => MaterializedValues.KindOf(c.Type)).ToArray();
            return target.CreateAsync(columns.Select((c, i) => new EnrichmentColumn(c.Name, _kinds[i], Nullable: true)).ToList(), ct);
        }

        public async Task RowsAsync(IReadOnlyList<object?[]> rows, CancellationToken ct)
        {
            foreach (var row in rows)
                for (var i = 0; i < row.Length; i++) row[i] = MaterializedValues.Value(row[i], _kinds[i]);
            await target.InsertAsync(rows, ct);
            Rows += rows.Count;
        }
    }
}
