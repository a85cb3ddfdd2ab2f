using DuckDB.NET.Data;

namespace Quarry.Server.Connectors.Files;

/// <summary>The catalog of a DuckDB database file: its schemas, and every table and view with its columns in one query.</summary>
internal static class DuckDbDatabase
{
    public static IReadOnlyList<string> Schemas(DuckDBConnection db)
    {
        using var command = db.CreateCommand();
        command.CommandText = """
            SELECT schema_name FROM duckdb_schemas()
            WHERE database_name = current_database() AND schema_name NOT IN ('information_schema', 'pg_catalog')
            ORDER BY schema_name
            """;
        using var reader = command.ExecuteReader();
        var schemas = new List<string>();
        while (reader.Read()) schemas.Add(reader.GetString(0));
        return schemas;
    }

    public static IReadOnlyList<ContainerInfo> Read(DuckDBConnection db, string schema)
    {
        using var command = db.CreateCommand();
        command.CommandText = """
            SELECT t.table_name, t.table_type, c.column_name, c.data_type, c.is_nullable = 'YES'
            FROM information_schema.tables t
            LEFT JOIN information_schema.columns c
              ON c.table_catalog = t.table_catalog AND c.table_schema = t.table_schema AND c.table_name = t.table_name
            WHERE t.table_catalog = current_database() AND t.table_schema = $schema
            ORDER BY t.table_name, c.ordinal_position
            """;
        command.Parameters.Add(new DuckDBParameter("schema", schema));
        using var reader = command.ExecuteReader();
        // CatalogRows is asynchronous; DuckDB answers synchronously, so its task is complete on return.
        return CatalogRows.ReadAsync(reader, type => type == "VIEW" ? "view" : "table", default).GetAwaiter().GetResult();
    }
}
