using System.Data.Common;
using DuckDB.NET.Data;

namespace Quarry.Server.Connectors.Files;

/// <summary>
/// Runs DuckDB for the files connector: an in-memory database that reads the user's files (never writes beside them),
/// or a DuckDB database file opened read-only. Every file path reaches SQL as a parameter.
/// </summary>
internal static class DuckDbReader
{
    /// <summary>An in-memory DuckDB that never downloads an extension (the Quarry server may have no internet access).</summary>
    public static DuckDBConnection OpenMemory() => Open("Data Source=:memory:");

    /// <summary>A DuckDB database file, read-only: nothing is written to it or created beside it.</summary>
    public static DuckDBConnection OpenFile(string path) =>
        Open(new DbConnectionStringBuilder { ["Data Source"] = path, ["ACCESS_MODE"] = "READ_ONLY" }.ConnectionString);

    private static DuckDBConnection Open(string connectionString)
    {
        var db = new DuckDBConnection(connectionString);
        try
        {
            db.Open();
            Execute(db, "SET autoinstall_known_extensions = false; SET threads = 2;");
            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    public static void Execute(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The table function that reads <paramref name="format"/> from the list parameter <c>$files</c>.</summary>
    public static string ReadFunction(FileFormat format) => format switch
    {
        // Files of one container may differ in their columns (a column added later): read them all, by name.
        FileFormat.Csv => "read_csv($files, union_by_name = true)",
        FileFormat.Parquet => "read_parquet($files, union_by_name = true)",
        FileFormat.JsonLines => "read_json($files, format = 'newline_delimited', union_by_name = true)",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>
    /// The table function that reads <paramref name="container"/>'s files from <c>$files</c>, as sync and scans both read
    /// it: columns matched by name only when there are several files (matching costs a second look at each file), and
    /// CSV with the delimiter its files show (<see cref="CsvDialect"/>), which spares DuckDB that search.
    /// </summary>
    public static string ReadFunction(FileContainer container)
    {
        var several = container.Files.Count > 1;
        return container.Format switch
        {
            FileFormat.Csv => $"read_csv($files{(several ? ", union_by_name = true" : "")}{CsvDialect.OptionsFor(container.Files)})",
            FileFormat.Parquet when !several => "read_parquet($files)",
            _ => ReadFunction(container.Format),
        };
    }

    /// <summary>The columns of a container as DuckDB reads them: CSV header, delimiter and types sniffed.</summary>
    public static IReadOnlyList<FieldInfo> Describe(DuckDBConnection db, FileContainer container)
    {
        using var command = db.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM {ReadFunction(container)}";
        command.Parameters.Add(new DuckDBParameter("files", container.Files.ToList()));
        using var reader = command.ExecuteReader();
        var fields = new List<FieldInfo>();
        while (reader.Read())
            fields.Add(new FieldInfo(reader.GetString(0), fields.Count + 1, reader.GetString(1), !string.Equals(reader.GetString(2), "NO", StringComparison.Ordinal)));
        return fields;
    }
}
