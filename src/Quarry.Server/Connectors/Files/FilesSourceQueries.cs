using DuckDB.NET.Data;

namespace Quarry.Server.Connectors.Files;

/// <summary>
/// Runs scan statements inside DuckDB. For a folder, each container a statement names becomes a view over its files
/// (the file list bound as a variable, never written into the SQL), in a schema named like the datastore's, so the
/// statement reads <c>"sales"."orders"</c> (or <c>orders</c>, from a computed table's query) and DuckDB pushes the
/// work down to the files. A DuckDB database file is opened read-only, in the datastore's schema.
/// </summary>
internal sealed class FilesSourceQueries : ISourceQueries
{
    public Task<IReadOnlyList<object?>> AggregateAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, CancellationToken ct) =>
        RunAsync<IReadOnlyList<object?>>(connection, scope, statement, reader =>
        {
            if (!reader.Read()) return [];
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : Plain(reader.GetValue(i));
            return row;
        }, ct);

    public Task<SourceRows> ReadRowsAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, int maxRows, CancellationToken ct) =>
        RunAsync(connection, scope, statement, reader =>
        {
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            var rows = new List<object?[]>();
            while (rows.Count < maxRows && reader.Read())
            {
                var row = new object?[columns.Count];
                for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : Plain(reader.GetValue(i));
                rows.Add(row);
            }
            return new SourceRows(columns, rows);
        }, ct);

    private static Task<T> RunAsync<T>(ConnectionDetails connection, SourceScope scope, SourceStatement statement, Func<DuckDBDataReader, T> read, CancellationToken ct) =>
        FilesConnector.RunAsync(connection, root =>
        {
            using var db = root.IsDatabase ? DuckDbReader.OpenFile(root.Path) : DuckDbReader.OpenMemory();
            if (root.IsDatabase) DuckDbReader.Execute(db, $"USE {FilesConnector.Quote(scope.Schema)}");
            else CreateViews(db, root, scope.Schema, statement.Sql);
            using var command = db.CreateCommand();
            command.CommandText = statement.Sql;
            command.CommandTimeout = 0;
            // DuckDB runs a statement to its end unless interrupted: cancelling stops it (the abort, not a timeout).
            using var interrupt = ct.Register(command.Cancel);
            foreach (var parameter in statement.Parameters) command.Parameters.Add(new DuckDBParameter(parameter.Name, parameter.Value));
            using var reader = command.ExecuteReader();
            return read(reader);
        }, ct);

    /// <summary>
    /// A value as the other connectors give it: DuckDB's sums and 128-bit integers come back as BigInteger, which
    /// callers neither convert nor serialise; a whole number that fits is a long, a larger one its digits.
    /// </summary>
    private static object Plain(object value) => value switch
    {
        System.Numerics.BigInteger big when big >= long.MinValue && big <= long.MaxValue => (long)big,
        System.Numerics.BigInteger big => big.ToString(System.Globalization.CultureInfo.InvariantCulture),
        UInt128 or Int128 => value.ToString()!,
        _ => value,
    };

    /// <summary>
    /// A view per container the statement mentions (by name, bare or quoted, so a folder of thousands of files costs only those).
    /// A container of another datastore of the same folder (a check comparing with it) is named with its schema,
    /// <c>"other"."name"</c>: that schema gets its views too.
    /// </summary>
    private static void CreateViews(DuckDBConnection db, FileRoot root, string schema, string sql)
    {
        var variables = 0;
        foreach (var other in FilesConnector.FolderSchemas(root).Where(s => s != schema && sql.Contains(FilesConnector.Quote(s) + ".", StringComparison.Ordinal)))
            CreateSchemaViews(db, root, other, sql, ref variables);
        CreateSchemaViews(db, root, schema, sql, ref variables);
        DuckDbReader.Execute(db, $"USE {FilesConnector.Quote(schema)};");
    }

    private static void CreateSchemaViews(DuckDBConnection db, FileRoot root, string schema, string sql, ref int variables)
    {
        var quotedSchema = FilesConnector.Quote(schema);
        DuckDbReader.Execute(db, $"CREATE SCHEMA {quotedSchema};");
        foreach (var container in FileContainers.Of(FilesConnector.SchemaFolder(root, schema)))
        {
            // A statement names a container quoted (a double quote in its name doubled), or bare from a computed table's query.
            if (!sql.Contains(container.Name, StringComparison.Ordinal) && !sql.Contains(FilesConnector.Quote(container.Name), StringComparison.Ordinal)) continue;
            var i = variables++;
            using (var bind = db.CreateCommand())
            {
                bind.CommandText = $"SET VARIABLE quarry_files_{i} = $files";
                bind.Parameters.Add(new DuckDBParameter("files", container.Files.ToList()));
                bind.ExecuteNonQuery();
            }
            var read = DuckDbReader.ReadFunction(container).Replace("$files", $"getvariable('quarry_files_{i}')", StringComparison.Ordinal);
            DuckDbReader.Execute(db, $"CREATE VIEW {quotedSchema}.{FilesConnector.Quote(container.Name)} AS SELECT * FROM {read}");
        }
    }
}
