using System.Security.Cryptography;
using DuckDB.NET.Data;

namespace Quarry.Tests.Support;

/// <summary>
/// A folder of real data files with the connector contract's shape: <c>sales/</c> holds <c>customers.csv</c>,
/// <c>Order Items.parquet</c>, <c>café.jsonl</c> and two partitions of <c>customer_names</c>; <c>archive/</c> holds a
/// Hive-style partitioned <c>old_orders/</c>. Parquet files are written by DuckDB itself, in a separate folder first.
/// </summary>
public static class FilesSource
{
    public static async Task<string> CreateAsync(string root)
    {
        var sales = Directory.CreateDirectory(Path.Combine(root, "sales")).FullName;
        var archive = Directory.CreateDirectory(Path.Combine(root, "archive", "old_orders", "year=2024")).FullName;
        await File.WriteAllTextAsync(Path.Combine(sales, "customers.csv"), "id,name,email\n1,Ada,ada@example.com\n2,Grace,\n");
        await File.WriteAllTextAsync(Path.Combine(sales, "café.jsonl"), "{\"crème\": \"x\", \"brûlée\": \"2025-01-01 10:00:00\"}\n");
        await File.WriteAllTextAsync(Path.Combine(sales, "customer_names_2025-01.jsonl"), "{\"id\": 1, \"name\": \"Ada\"}\n");
        await File.WriteAllTextAsync(Path.Combine(sales, "customer_names_2025-02.jsonl"), "{\"id\": 2, \"name\": \"Grace\"}\n");
        await File.WriteAllTextAsync(Path.Combine(sales, "_SUCCESS"), "");
        await File.WriteAllTextAsync(Path.Combine(sales, "notes.md"), "not data");
        WriteParquet(Path.Combine(sales, "Order Items.parquet"), "SELECT 1::BIGINT AS \"Item ID\", 2::INTEGER AS \"Quantity\", 9.5::DECIMAL(10,2) AS price");
        WriteParquet(Path.Combine(archive, "part-0.parquet"), "SELECT 1::INTEGER AS id, 10.0::DOUBLE AS total");
        return root;
    }

    /// <summary>Writes <paramref name="select"/>'s rows as Parquet at <paramref name="path"/>, through a scratch folder.</summary>
    public static void WriteParquet(string path, string select)
    {
        var scratch = Directory.CreateTempSubdirectory("quarry-parquet-").FullName;
        try
        {
            var file = Path.Combine(scratch, "out.parquet");
            using (var db = new DuckDBConnection("Data Source=:memory:"))
            {
                db.Open();
                using var command = db.CreateCommand();
                command.CommandText = $"COPY ({select}) TO '{file}' (FORMAT parquet)";
                command.ExecuteNonQuery();
            }
            File.Move(file, path, overwrite: true);
        }
        finally
        {
            Directory.Delete(scratch, true);
        }
    }

    /// <summary>
    /// Runs <paramref name="sql"/> in the DuckDB database <paramref name="state"/> (kept outside the source folder), then
    /// writes each of its tables as <c>&lt;table&gt;.parquet</c> in <paramref name="folder"/>: a folder whose files hold
    /// what the SQL made, rewritten on every call (a dropped table's file removed).
    /// </summary>
    public static void ExecuteIntoFolder(string state, string folder, string sql)
    {
        Directory.CreateDirectory(folder);
        using var db = new DuckDBConnection($"Data Source={state}");
        db.Open();
        var before = Tables(db);
        Execute(db, sql);
        var tables = Tables(db);
        // A table the SQL dropped loses the file an earlier call wrote for it, as a dropped table leaves a database.
        foreach (var dropped in before.Except(tables, StringComparer.Ordinal)) File.Delete(Path.Combine(folder, dropped + ".parquet"));
        // Written beside the state, then moved in whole: the folder never holds a half-written file.
        var scratch = state + ".out.parquet";
        foreach (var table in tables)
        {
            Execute(db, $"COPY \"{table.Replace("\"", "\"\"")}\" TO '{scratch.Replace("'", "''")}' (FORMAT parquet)");
            File.Move(scratch, Path.Combine(folder, table + ".parquet"), overwrite: true);
        }
    }

    private static List<string> Tables(DuckDBConnection db)
    {
        var tables = new List<string>();
        using var list = db.CreateCommand();
        list.CommandText = "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1";
        using var reader = list.ExecuteReader();
        while (reader.Read()) tables.Add(reader.GetString(0));
        return tables;
    }

    private static void Execute(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Every file and folder under <paramref name="root"/> with its size, times and SHA-256: what "left untouched" means.</summary>
    public static IReadOnlyList<string> Snapshot(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(entry =>
        {
            var info = new FileInfo(entry);
            var relative = Path.GetRelativePath(root, entry);
            if (Directory.Exists(entry)) return $"{relative}/ {Directory.GetLastWriteTimeUtc(entry):O}";
            using var stream = File.OpenRead(entry);
            return $"{relative} {info.Length} {info.LastWriteTimeUtc:O} {Convert.ToHexString(SHA256.HashData(stream))}";
        }).ToList();

    /// <summary>The files under <paramref name="root"/> this process still holds open.</summary>
    public static IReadOnlyList<string> OpenHandles(string root) =>
        Directory.EnumerateFileSystemEntries("/proc/self/fd")
            .Select(fd => { try { return new FileInfo(fd).LinkTarget; } catch (IOException) { return null; } })
            .OfType<string>().Where(target => target.StartsWith(root, StringComparison.Ordinal)).ToList();
}
