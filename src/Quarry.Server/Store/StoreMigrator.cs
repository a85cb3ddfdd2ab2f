using System.Data.Common;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Quarry.Server.Store;

/// <summary>
/// Applies the versioned SQL scripts embedded from Store/Migrations/{sqlite,postgresql}/NNNN_name.sql,
/// each once, in order, each in its own transaction, recording them in <c>quarry_schema_migrations</c>.
/// On PostgreSQL an advisory lock makes instances starting together take turns.
/// </summary>
public sealed class StoreMigrator(StoreKind kind, string connectionString, ILogger logger)
{
    private const long AdvisoryLockKey = 0x5155_4152_5259; // "QUARRY"

    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> All(StoreKind kind)
    {
        var folder = kind == StoreKind.Sqlite ? ".sqlite." : ".postgresql.";
        var assembly = typeof(StoreMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Migrations" + folder, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[(n.IndexOf(".Migrations" + folder, StringComparison.Ordinal) + folder.Length + 11)..^4];
                var version = int.Parse(file[..4].TrimStart('_'), System.Globalization.CultureInfo.InvariantCulture);
                return new Migration(version, file, Read(assembly, n));
            })
            .OrderBy(m => m.Version)
            .ToList();
    }

    /// <summary>The versions already applied, oldest first.</summary>
    public async Task<IReadOnlyList<int>> AppliedAsync(CancellationToken ct = default)
    {
        await using var connection = Open();
        await connection.OpenAsync(ct);
        await EnsureHistoryTableAsync(connection, ct);
        return await ReadAppliedAsync(connection, ct);
    }

    /// <summary>Applies every pending migration and returns the ones it applied.</summary>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = Open();
        await connection.OpenAsync(ct);
        if (kind == StoreKind.PostgreSql) await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", ct);
        try
        {
            await EnsureHistoryTableAsync(connection, ct);
            var applied = (await ReadAppliedAsync(connection, ct)).ToHashSet();
            var done = new List<Migration>();
            foreach (var migration in All(kind).Where(m => !applied.Contains(m.Version)))
            {
                logger.LogInformation("Applying store migration {Version} {Name}", migration.Version, migration.Name);
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await ExecuteAsync(connection, transaction, migration.Sql, ct);
                await using (var record = connection.CreateCommand())
                {
                    record.Transaction = transaction;
                    record.CommandText = "INSERT INTO quarry_schema_migrations (version, name, applied_at) VALUES (@v, @n, @a)";
                    AddParameter(record, "@v", migration.Version);
                    AddParameter(record, "@n", migration.Name);
                    AddParameter(record, "@a", DateTime.UtcNow.ToString("O"));
                    await record.ExecuteNonQueryAsync(ct);
                }
                await transaction.CommitAsync(ct);
                done.Add(migration);
            }
            return done;
        }
        finally
        {
            if (kind == StoreKind.PostgreSql) await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private DbConnection Open() => kind == StoreKind.Sqlite
        ? new SqliteConnection(connectionString)
        : new NpgsqlConnection(connectionString);

    private static async Task EnsureHistoryTableAsync(DbConnection connection, CancellationToken ct) =>
        await ExecuteAsync(connection, null,
            "CREATE TABLE IF NOT EXISTS quarry_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)", ct);

    private static async Task<IReadOnlyList<int>> ReadAppliedAsync(DbConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM quarry_schema_migrations ORDER BY version";
        var versions = new List<int>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) versions.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        return versions;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
