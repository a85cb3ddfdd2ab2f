using DuckDB.NET.Data;

namespace Quarry.Server.Connectors.Files;

/// <summary>
/// Writes the enrichment tables as Parquet files through DuckDB: each table is a folder
/// <c>&lt;schema folder&gt;/&lt;prefix&gt;_&lt;table&gt;/</c> holding one file per scan, <c>operation_&lt;id&gt;.parquet</c>, so
/// DuckDB, Spark or pandas read a table as <c>&lt;prefix&gt;_check_metrics/*.parquet</c>. A scan's four files are written
/// under hidden temporary names first and renamed into place only once all four are written, so a failed write leaves
/// nothing of the scan; writing the same scan again replaces its files, so its rows are never there twice.
/// </summary>
public sealed class FilesEnrichmentWriter : IEnrichmentWriter
{
    private const string FilePrefix = "operation_";

    /// <summary>A folder of Parquet files has no database to run a copy in: a materialize streams its rows here.</summary>
    public bool CopiesFromQuery => false;

    public Task EnsureTablesAsync(ConnectionDetails connection, string? catalog, string schema, string prefix, CancellationToken ct) =>
        WriteAsync(connection, schema, (db, folder) =>
        {
            foreach (var table in EnrichmentTables.All) RequireColumns(db, folder, schema, prefix, table);
            foreach (var table in EnrichmentTables.All) Directory.CreateDirectory(Path.Combine(folder, table.NameFor(prefix)));
        }, ct);

    public Task WriteScanAsync(ConnectionDetails connection, string? catalog, string schema, string prefix, EnrichmentScan scan, CancellationToken ct) =>
        WriteAsync(connection, schema, (db, folder) =>
        {
            // Every table's shape is checked before anything is written: a refused table leaves no file anywhere.
            foreach (var table in EnrichmentTables.All) RequireColumns(db, folder, schema, prefix, table);
            var created = new List<string>();
            var files = new StagedFiles();
            try
            {
                files.WriteAll(() =>
                {
                    foreach (var table in EnrichmentTables.All)
                    {
                        ct.ThrowIfCancellationRequested();
                        var tableFolder = Path.Combine(folder, table.NameFor(prefix));
                        if (!Directory.Exists(tableFolder)) created.Add(Directory.CreateDirectory(tableFolder).FullName);
                        WriteParquet(db, table.Columns, table.Rows(scan).ToList(), files.Stage(tableFolder, $"{FilePrefix}{scan.OperationId}"));
                    }
                    ct.ThrowIfCancellationRequested();
                });
            }
            catch
            {
                foreach (var tableFolder in created.Where(f => !Directory.EnumerateFileSystemEntries(f).Any())) Directory.Delete(tableFolder);
                throw;
            }
        }, ct);

    /// <summary>
    /// An export: each table is a folder holding one file per owner (<c>datastore_&lt;id&gt;.parquet</c>, or
    /// <c>all.parquet</c> for a table without owner), so another owner's rows stay; all files are renamed into place together.
    /// </summary>
    public Task ReplaceRowsAsync(ConnectionDetails connection, string? catalog, string schema, IReadOnlyList<EnrichmentRows> tables, CancellationToken ct) =>
        WriteAsync(connection, schema, (db, folder) =>
        {
            var files = new StagedFiles();
            files.WriteAll(() =>
            {
                foreach (var table in tables)
                {
                    ct.ThrowIfCancellationRequested();
                    var tableFolder = Directory.CreateDirectory(Path.Combine(folder, table.Table)).FullName;
                    var owner = table.OwnerColumn is null ? "all" : $"{table.OwnerColumn}_{OwnerName(table.Owner)}";
                    WriteParquet(db, table.Columns, table.Rows, files.Stage(tableFolder, owner));
                }
            });
        }, ct);

    /// <summary>
    /// A materialized table: the folder <c>&lt;table&gt;/</c> holding one file, <c>data.parquet</c>, replaced whole once every
    /// batch is written. The rows wait in DuckDB, which spills to disk past its memory limit, not in Quarry's process.
    /// </summary>
    public async Task ReplaceTableAsync(ConnectionDetails connection, string? catalog, string schema, string table, Func<IEnrichmentTableSink, Task> fill, CancellationToken ct)
    {
        if (table.Length == 0 || table is "." or ".." || table.IndexOfAny(['/', '\\', '\0']) >= 0)
            throw new ConnectorException(ConnectorFailure.Other, $"'{table}' cannot name a folder of Parquet files; give the container another name.");
        // One DuckDB holds the rows from the first batch to the file: the folder is resolved first, the database opened once.
        var folder = await FilesConnector.RunAsync(connection, root => Folder(root, schema), ct);
        var tableFolder = Path.Combine(folder, table);
        try
        {
            using var db = DuckDbReader.OpenMemory();
            await fill(new StagingSink(db));
            Directory.CreateDirectory(tableFolder);
            var files = new StagedFiles();
            files.WriteAll(() => CopyStaging(db, files.Stage(tableFolder, "data")));
        }
        catch (Exception e)
        {
            if (Explain(e, folder) is { } explained) throw explained;
            throw;
        }
    }

    private static string OwnerName(object? owner) =>
        new(Convert.ToString(owner, System.Globalization.CultureInfo.InvariantCulture)!.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());

    /// <summary>Rows of a materialize, appended to a DuckDB table batch by batch until the file is written.</summary>
    private sealed class StagingSink(DuckDBConnection db) : IEnrichmentTableSink
    {
        private IReadOnlyList<EnrichmentColumn> _columns = [];

        public Task CreateAsync(IReadOnlyList<EnrichmentColumn> columns, CancellationToken ct)
        {
            CreateStaging(db, columns);
            _columns = columns;
            return Task.CompletedTask;
        }

        public Task InsertAsync(IReadOnlyList<object?[]> rows, CancellationToken ct)
        {
            AppendRows(db, _columns, rows);
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Parquet files written all or nothing: each under a hidden temporary name first, then all renamed into place
    /// together once every one is written, so a failed write leaves none of them.
    /// </summary>
    private sealed class StagedFiles
    {
        private readonly List<(string Temporary, string Final)> _files = [];

        /// <summary>
        /// Where to write the file <c>&lt;name&gt;.parquet</c> of <paramref name="folder"/> until it is published: hidden and
        /// without the .parquet extension, so a reader of *.parquet never sees a file half-written.
        /// </summary>
        public string Stage(string folder, string name)
        {
            var temporary = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
            _files.Add((temporary, Path.Combine(folder, name + ".parquet")));
            return temporary;
        }

        /// <summary>Runs <paramref name="write"/>, which writes every staged file, then publishes them; a failure deletes them.</summary>
        public void WriteAll(Action write)
        {
            try
            {
                write();
                Publish();
            }
            catch
            {
                foreach (var (temporary, _) in _files) File.Delete(temporary);
                throw;
            }
        }

        /// <summary>
        /// Renames the staged files into place. A rename in one folder does not fail short of the folder changing under
        /// Quarry; if one does, the files already renamed are removed, so the write is in none of the tables rather than some.
        /// </summary>
        private void Publish()
        {
            for (var i = 0; i < _files.Count; i++)
            {
                try
                {
                    File.Move(_files[i].Temporary, _files[i].Final, overwrite: true);
                }
                catch
                {
                    foreach (var (_, final) in _files.Take(i)) File.Delete(final);
                    throw;
                }
            }
        }
    }

    private static void WriteParquet(DuckDBConnection db, IReadOnlyList<EnrichmentColumn> columns, IReadOnlyList<object?[]> rows, string path)
    {
        CreateStaging(db, columns);
        AppendRows(db, columns, rows);
        CopyStaging(db, path);
    }

    private const string Staging = "quarry_staging";

    private static void CreateStaging(DuckDBConnection db, IReadOnlyList<EnrichmentColumn> columns)
    {
        var declared = columns.Select(c => $"{FilesConnector.Quote(c.Name)} {TypeOf(c.Type)}{(c.Nullable ? "" : " NOT NULL")}");
        DuckDbReader.Execute(db, $"CREATE OR REPLACE TEMP TABLE {Staging} ({string.Join(", ", declared)})");
    }

    private static void AppendRows(DuckDBConnection db, IReadOnlyList<EnrichmentColumn> columns, IReadOnlyList<object?[]> rows)
    {
        using var appender = db.CreateAppender("temp", "main", Staging);
        foreach (var values in rows)
        {
            var row = appender.CreateRow();
            for (var c = 0; c < values.Length; c++) Append(row, columns[c].Type, values[c]);
            row.EndRow();
        }
    }

    private static void CopyStaging(DuckDBConnection db, string path)
    {
        using (var copy = db.CreateCommand())
        {
            // The file name is bound, not written into the statement (DuckDB takes a bracketed expression as COPY's target).
            copy.CommandText = $"COPY (SELECT * FROM {Staging}) TO ($target) (FORMAT PARQUET)";
            copy.Parameters.Add(new DuckDBParameter("target", path));
            copy.ExecuteNonQuery();
        }
        DuckDbReader.Execute(db, $"DROP TABLE {Staging}");
    }

    private static void Append(IDuckDBAppenderRow row, EnrichmentType type, object? value)
    {
        if (value is null)
        {
            row.AppendNullValue();
            return;
        }
        _ = type switch
        {
            EnrichmentType.Integer => row.AppendValue((int?)Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)),
            EnrichmentType.BigInteger => row.AppendValue((long?)Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
            // Quarry's store keeps times in UTC; the Parquet column says so (a timestamp adjusted to UTC).
            EnrichmentType.Timestamp => row.AppendValue((DateTime?)DateTime.SpecifyKind((DateTime)value, DateTimeKind.Utc)),
            EnrichmentType.Number => row.AppendValue((double?)Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
            EnrichmentType.Decimal => row.AppendValue((decimal?)Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture)),
            EnrichmentType.Boolean => row.AppendValue((bool?)Convert.ToBoolean(value, System.Globalization.CultureInfo.InvariantCulture)),
            _ => row.AppendValue(value as string ?? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
        };
    }

    private static string TypeOf(EnrichmentType type) => type switch
    {
        EnrichmentType.Integer => "INTEGER",
        EnrichmentType.BigInteger => "BIGINT",
        EnrichmentType.Timestamp => "TIMESTAMPTZ",
        EnrichmentType.Json => "JSON",
        EnrichmentType.Number => "DOUBLE",
        EnrichmentType.Decimal => "DECIMAL(38, 10)",
        EnrichmentType.Boolean => "BOOLEAN",
        _ => "VARCHAR",
    };

    /// <summary>
    /// A table folder holding Parquet files Quarry did not write (another tool's, or an older layout) must have Quarry's
    /// columns, or a reader of the whole folder would mix shapes: it is named plainly instead.
    /// </summary>
    private static void RequireColumns(DuckDBConnection db, string folder, string schema, string prefix, EnrichmentTable table)
    {
        var path = Path.Combine(folder, table.NameFor(prefix));
        if (File.Exists(path))
            throw new ConnectorException(ConnectorFailure.Other,
                $"Table '{table.NameFor(prefix)}' in schema '{schema}' cannot be written: '{path}' is a file, and Quarry writes each table as a folder of Parquet files. "
                + "Rename or move that file, or give the datastore another enrichment_prefix.");
        if (!Directory.Exists(path)) return;
        var foreign = Directory.EnumerateFiles(path, "*.parquet")
            .Where(f => !IsQuarrys(Path.GetFileName(f))).Order(StringComparer.Ordinal).ToList();
        if (foreign.Count == 0) return;
        using var describe = db.CreateCommand();
        describe.CommandText = "DESCRIBE SELECT * FROM read_parquet($files, union_by_name = true)";
        describe.Parameters.Add(new DuckDBParameter("files", foreign));
        using var reader = describe.ExecuteReader();
        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read()) present.Add(reader.GetString(0));
        var missing = table.Columns.Select(c => c.Name).Where(c => !present.Contains(c)).ToList();
        if (missing.Count > 0)
            throw new ConnectorException(ConnectorFailure.Other,
                $"Table '{table.NameFor(prefix)}' in schema '{schema}' (folder '{path}') already holds Parquet files without the columns Quarry writes ({string.Join(", ", missing)} missing). "
                + "Move those files out of the folder, or give the datastore another enrichment_prefix.");
    }

    private static bool IsQuarrys(string fileName) =>
        fileName.StartsWith(FilePrefix, StringComparison.Ordinal) && long.TryParse(fileName[FilePrefix.Length..^".parquet".Length], out _);

    /// <summary>Runs <paramref name="work"/> in the schema's folder with an in-memory DuckDB, and says plainly what a failed write needs.</summary>
    private static Task WriteAsync(ConnectionDetails connection, string schema, Action<DuckDBConnection, string> work, CancellationToken ct) =>
        FilesConnector.RunAsync(connection, root =>
        {
            var folder = Folder(root, schema);
            try
            {
                using var db = DuckDbReader.OpenMemory();
                work(db, folder);
                return true;
            }
            catch (Exception e) when (Explain(e, folder) is { } explained)
            {
                throw explained;
            }
        }, ct);

    /// <summary>The schema's folder, which Quarry writes in; a DuckDB database file is only ever read.</summary>
    private static string Folder(FileRoot root, string schema) =>
        root.IsDatabase
            ? throw new ConnectorException(ConnectorFailure.Other,
                $"'{root.Path}' is a DuckDB database file, which Quarry only reads. Point the enrichment datastore's connection at a folder; Quarry writes its tables there as Parquet files.")
            : FilesConnector.SchemaFolder(root, schema);

    /// <summary>What a failed write in <paramref name="folder"/> needs, said plainly; null for a failure that is not about writing.</summary>
    private static ConnectorException? Explain(Exception e, string folder) => e switch
    {
        UnauthorizedAccessException => new ConnectorException(ConnectorFailure.PermissionDenied,
            $"The Quarry server's user may not write in '{folder}': {e.Message} Let it create folders and files there.", e),
        IOException => new ConnectorException(ConnectorFailure.Other, $"Writing Parquet files in '{folder}' failed: {e.Message}", e),
        DuckDBException when e.Message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase) => new ConnectorException(ConnectorFailure.PermissionDenied,
            $"Writing Parquet files in '{folder}' failed: {e.Message.Split('\n')[0].Trim()} Let the Quarry server's user create folders and files there.", e),
        DuckDBException => new ConnectorException(ConnectorFailure.Other, $"Writing Parquet files in '{folder}' failed: {e.Message.Split('\n')[0].Trim()}", e),
        _ => null,
    };
}
