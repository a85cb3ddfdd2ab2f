namespace Quarry.Server.Connectors;

/// <summary>
/// Writes Quarry's findings into an enrichment datastore's tables (<see cref="EnrichmentTables"/>). A connector that
/// can returns it from <see cref="IConnector.EnrichmentWriter"/> and declares <see cref="ConnectorCapabilities.EnrichmentWrite"/>
/// in its descriptor. Tables are named <c>&lt;prefix&gt;_&lt;table&gt;</c> in <paramref name="schema"/>, so several source
/// datastores can share one enrichment datastore.
/// </summary>
public interface IEnrichmentWriter
{
    /// <summary>Creates the enrichment tables (named with the datastore's prefix) where they are missing.</summary>
    Task EnsureTablesAsync(ConnectionDetails connection, string? catalog, string schema, string prefix, CancellationToken ct);

    /// <summary>
    /// Writes one scan's rows in one transaction: creates missing tables, deletes whatever an earlier write of the same
    /// operation left, then inserts. Writing the same scan twice leaves its rows once; a failure leaves none of them.
    /// </summary>
    Task WriteScanAsync(ConnectionDetails connection, string? catalog, string schema, string prefix, EnrichmentScan scan, CancellationToken ct);

    /// <summary>
    /// Replaces one owner's rows in each of <paramref name="tables"/> in one transaction (an export): creates missing
    /// tables, deletes the rows an earlier export of the same owner left, inserts. A failure leaves the earlier rows.
    /// </summary>
    Task ReplaceRowsAsync(ConnectionDetails connection, string? catalog, string schema, IReadOnlyList<EnrichmentRows> tables, CancellationToken ct) =>
        throw new NotSupportedException("This enrichment datastore cannot hold exported tables yet.");

    /// <summary>
    /// Replaces table <paramref name="table"/> with what <paramref name="fill"/> writes, batch by batch (a materialize that
    /// streams from another database): the old table is dropped and the new one created in the same transaction where
    /// the database allows it, so a failure leaves the old table.
    /// </summary>
    Task ReplaceTableAsync(ConnectionDetails connection, string? catalog, string schema, string table, Func<IEnrichmentTableSink, Task> fill, CancellationToken ct) =>
        throw new NotSupportedException("This enrichment datastore cannot hold materialized tables yet.");

    /// <summary>
    /// Replaces table <paramref name="table"/> with the rows of <paramref name="select"/>, run by the database itself (a
    /// materialize whose source shares the enrichment datastore's connection): no row passes through Quarry. Unqualified
    /// names in <paramref name="select"/> resolve in <paramref name="sourceSchema"/>. Answers the rows written.
    /// </summary>
    /// <summary>Whether <see cref="ReplaceTableFromQueryAsync"/> can run: a materialize streams its rows otherwise.</summary>
    bool CopiesFromQuery => true;

    Task<long> ReplaceTableFromQueryAsync(ConnectionDetails connection, string? catalog, string schema, string table, string sourceSchema, string select,
        CancellationToken ct) =>
        throw new NotSupportedException("This enrichment datastore cannot hold materialized tables yet.");
}

/// <summary>
/// One table of an export: its name (with the prefix), columns and key, and the rows of one owner. Rows whose
/// <see cref="OwnerColumn"/> holds <see cref="Owner"/> are replaced; without an owner column the whole table is.
/// </summary>
public sealed record EnrichmentRows(
    string Table, IReadOnlyList<EnrichmentColumn> Columns, IReadOnlyList<string> Key, string? OwnerColumn, object? Owner, IReadOnlyList<object?[]> Rows);

/// <summary>Where <see cref="IEnrichmentWriter.ReplaceTableAsync"/> writes: the columns once, then rows in batches.</summary>
public interface IEnrichmentTableSink
{
    Task CreateAsync(IReadOnlyList<EnrichmentColumn> columns, CancellationToken ct);

    Task InsertAsync(IReadOnlyList<object?[]> rows, CancellationToken ct);
}
