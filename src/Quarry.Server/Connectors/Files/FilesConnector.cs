using DuckDB.NET.Data;

namespace Quarry.Server.Connectors.Files;

/// <summary>
/// Reads a folder of data files on the Quarry server through DuckDB: the connection's <c>path</c> is a root folder,
/// a datastore's schema one of its sub-folders, and a container a file, a group of files sharing a name pattern, or a
/// partitioned sub-folder (<see cref="FileContainers"/>), in CSV, Parquet or JSON lines. A <c>path</c> naming a DuckDB
/// database file reads that database instead (its schemas, tables and views), read-only. Nothing is ever written in
/// the source folder.
/// </summary>
public sealed class FilesConnector : IConnector
{
    public const string TypeName = "files";

    private const string ReadsFolder = "it reads the folder (or DuckDB file) at 'path' on the Quarry server.";

    public static readonly ConnectorDescriptor Declaration = new()
    {
        Type = TypeName,
        DisplayName = "Files (CSV, Parquet, JSON lines)",
        Aliases = ["dfs"],
        RequiredFields = [(ConnectionFields.Path, $"is required for a {TypeName} connection: the root folder (or DuckDB database file) on the server.")],
        UnusedFields =
        [
            (ConnectionFields.Host, ReadsFolder),
            (ConnectionFields.Port, ReadsFolder),
            (ConnectionFields.Username, ReadsFolder),
            (ConnectionFields.Password, ReadsFolder),
            (ConnectionFields.Database, ReadsFolder + " Its datastores' schema (a sub-folder) says what they read."),
        ],
        CatalogLevel = CatalogLevel.None,
        NoCatalogReason = "it reads the folder at the connection's 'path', and 'schema' names the sub-folder a datastore reads.",
        DefaultSchema = "",
        RequiresSchema = true,
        Capabilities = ConnectorCapabilities.CatalogRead | ConnectorCapabilities.EnrichmentWrite,
    };

    private static readonly FilesDialect SqlDialect = new();
    private static readonly FilesSourceQueries Queries = new();

    public ConnectorDescriptor Descriptor => Declaration;
    public ISqlDialect Dialect => SqlDialect;
    public ISourceQueries SourceQueries => Queries;
    public IEnrichmentWriter EnrichmentWriter { get; } = new FilesEnrichmentWriter();

    internal static string Quote(string identifier) => SqlDialect.QuoteIdentifier(identifier);

    public string Describe(ConnectionDetails connection) => $"files at '{connection.Path}'";

    public Task TestAsync(ConnectionDetails connection, string? catalog, CancellationToken ct) =>
        RunAsync(connection, root =>
        {
            if (root.IsDatabase) return WithDatabase(root, db => DuckDbReader.Execute(db, "SELECT 1"));
            Directory.EnumerateFileSystemEntries(root.Path).Take(1).ToList();
            using var memory = DuckDbReader.OpenMemory();
            return true;
        }, ct);

    public Task<IReadOnlyList<string>> ListSchemasAsync(ConnectionDetails connection, string? catalog, CancellationToken ct) =>
        RunAsync(connection, root => root.IsDatabase ? WithDatabase(root, DatabaseSchemas) : FolderSchemas(root), ct);

    public Task<SchemaCheck> CheckSchemaAsync(ConnectionDetails connection, string? catalog, string schema, CancellationToken ct) =>
        RunAsync(connection, root =>
        {
            if (root.IsDatabase)
            {
                var schemas = WithDatabase(root, DatabaseSchemas);
                if (!schemas.Contains(schema, StringComparer.Ordinal)) return new SchemaCheck(false, MissingSchema(root, schema, schemas).Message);
                var count = WithDatabase(root, db => DuckDbDatabase.Read(db, schema).Count);
                return new SchemaCheck(true, $"Schema '{schema}' of DuckDB file '{root.Path}' exists and is readable ({count} containers).");
            }
            string folder;
            try
            {
                folder = SchemaFolder(root, schema);
            }
            catch (ConnectorException missing) when (missing.Failure == ConnectorFailure.SchemaMissing)
            {
                return new SchemaCheck(false, missing.Message);
            }
            var containers = FileContainers.Of(folder);
            // Open each file once: a file the server's user may not read fails here, not in the middle of a sync.
            foreach (var file in containers.SelectMany(c => c.Files)) File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite).Dispose();
            return new SchemaCheck(true, $"Folder '{schema}' of '{root.Path}' exists and is readable ({containers.Count} containers).");
        }, ct);

    public Task<IReadOnlyList<ContainerInfo>> ReadContainersAsync(ConnectionDetails connection, string? catalog, string schema, CancellationToken ct) =>
        RunAsync<IReadOnlyList<ContainerInfo>>(connection, root =>
        {
            if (root.IsDatabase)
            {
                var schemas = WithDatabase(root, DatabaseSchemas);
                if (!schemas.Contains(schema, StringComparer.Ordinal)) throw MissingSchema(root, schema, schemas);
                return WithDatabase(root, db => DuckDbDatabase.Read(db, schema));
            }
            return DescribeAll(root, FileContainers.Of(SchemaFolder(root, schema)), ct);
        }, ct);

    /// <summary>
    /// Every container's fields, read by one DuckDB per core, each working through its share of the containers: reading
    /// a file's schema is mostly waiting on DuckDB's single-threaded sniffing, so a folder of thousands of files reads
    /// as fast as the cores allow. A container whose files are unchanged since an earlier read (<see cref="FileSchemas"/>)
    /// is not read again. The first failure (in container order) is the one reported.
    /// </summary>
    private static IReadOnlyList<ContainerInfo> DescribeAll(FileRoot root, IReadOnlyList<FileContainer> containers, CancellationToken ct)
    {
        var read = new ContainerInfo[containers.Count];
        var failures = new Exception?[containers.Count];
        var stamps = new FileSchemas.Stamp?[containers.Count];
        var left = new List<int>();
        for (var i = 0; i < containers.Count; i++)
        {
            stamps[i] = FileSchemas.StampOf(containers[i]);
            if (FileSchemas.Find(stamps[i]) is { } known) read[i] = new ContainerInfo(containers[i].Name, "file", known);
            else left.Add(i);
        }
        var workers = Math.Clamp(Math.Min(Environment.ProcessorCount, left.Count / 8), 1, 8);
        if (left.Count > 0) Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            using var db = DuckDbReader.OpenMemory();
            for (var next = worker; next < left.Count && !ct.IsCancellationRequested; next += workers)
            {
                var i = left[next];
                try
                {
                    var fields = Describe(db, root, containers[i]);
                    FileSchemas.Remember(stamps[i], fields);
                    read[i] = new ContainerInfo(containers[i].Name, "file", fields);
                }
                catch (Exception e)
                {
                    failures[i] = e;
                    return;
                }
            }
        });
        ct.ThrowIfCancellationRequested();
        if (failures.FirstOrDefault(f => f is not null) is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return read;
    }

    private static IReadOnlyList<FieldInfo> Describe(DuckDBConnection db, FileRoot root, FileContainer container)
    {
        try
        {
            return DuckDbReader.Describe(db, container);
        }
        catch (DuckDBException e)
        {
            var file = Path.GetRelativePath(root.Path, container.Files[0]);
            throw new ConnectorException(ConnectorFailure.Other,
                $"'{file}'{(container.Files.Count > 1 ? $" (and {container.Files.Count - 1} more files of container '{container.Name}')" : "")} could not be read as {container.Format}: {FirstLine(e.Message)} Fix or remove the file, or move it out of the folder.", e);
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    internal static IReadOnlyList<string> FolderSchemas(FileRoot root) =>
        Directory.EnumerateDirectories(root.Path).Select(Path.GetFileName).OfType<string>()
            .Where(name => !FileContainers.IsHidden(name)).Order(StringComparer.Ordinal).ToList();

    private static IReadOnlyList<string> DatabaseSchemas(DuckDBConnection db) => DuckDbDatabase.Schemas(db);

    private static T WithDatabase<T>(FileRoot root, Func<DuckDBConnection, T> work)
    {
        using var db = DuckDbReader.OpenFile(root.Path);
        return work(db);
    }

    private static bool WithDatabase(FileRoot root, Action<DuckDBConnection> work) => WithDatabase(root, db => { work(db); return true; });

    /// <summary>The folder of a schema: a direct sub-folder of the root, never a path that climbs out of it.</summary>
    internal static string SchemaFolder(FileRoot root, string schema)
    {
        var escapes = schema.Length == 0 || schema is "." or ".." || schema.IndexOfAny(['/', '\\', '\0']) >= 0;
        var folder = escapes ? null : Path.Combine(root.Path, schema);
        if (folder is null || !Directory.Exists(folder))
            throw MissingSchema(root, schema, FolderSchemas(root));
        return folder;
    }

    private static ConnectorException MissingSchema(FileRoot root, string schema, IReadOnlyList<string> schemas) =>
        new(ConnectorFailure.SchemaMissing,
            $"Schema '{schema}' does not exist in '{root.Path}'{(root.IsDatabase ? "" : " (a schema is one of its sub-folders)")}; it has: {(schemas.Count == 0 ? "none" : string.Join(", ", schemas.Take(20)))}. Check the datastore's schema (names are case-sensitive).");

    internal static async Task<T> RunAsync<T>(ConnectionDetails connection, Func<FileRoot, T> work, CancellationToken ct)
    {
        var root = FileRoot.Of(connection);
        try
        {
            return await Abandonable.RunAsync(() => Task.FromResult(work(root)), ct);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("Cancelled while reading files.", e, ct);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ConnectorException(ConnectorFailure.PermissionDenied,
                $"The Quarry server's user may not read part of '{root.Path}': {e.Message} Let it read the folder and its files.", e);
        }
        catch (IOException e)
        {
            throw new ConnectorException(ConnectorFailure.Other, $"Reading '{root.Path}' failed: {e.Message}", e);
        }
        catch (DuckDBException e)
        {
            // A statement DuckDB refuses (binder, parser, conversion) is the statement's fault; reading a file is not.
            var invalid = e.Message.StartsWith("Binder Error", StringComparison.Ordinal) || e.Message.StartsWith("Parser Error", StringComparison.Ordinal)
                || e.Message.StartsWith("Conversion Error", StringComparison.Ordinal) || e.Message.StartsWith("Catalog Error", StringComparison.Ordinal);
            throw new ConnectorException(invalid ? ConnectorFailure.InvalidStatement : ConnectorFailure.Other,
                invalid ? $"DuckDB refused the statement: {FirstLine(e.Message)}" : $"DuckDB could not read '{root.Path}': {FirstLine(e.Message)}", e);
        }
    }
}
