using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Quarry.Server.Catalog;

/// <summary>
/// Writes a <see cref="CatalogPlan"/> in one transaction: id-list UPDATE/DELETEs for both stores; on PostgreSQL,
/// multi-row INSERT … RETURNING, UPDATE … FROM (VALUES …) and binary COPY; on SQLite, prepared statements reused
/// per row (its fastest bulk path). No round trip to another process per row on either store.
/// </summary>
public static class CatalogWriter
{
    /// <summary>Rows per statement: SQLite allows 32,766 parameters, PostgreSQL 65,535.</summary>
    private const int ContainerBatch = 1000;
    private const int UpdateBatch = 2000;

    /// <summary>
    /// Applies <paramref name="plan"/>. <paramref name="beforeCommit"/> runs last inside the transaction (an abort
    /// check); if it throws, nothing is written.
    /// </summary>
    public static async Task ApplyAsync(QuarryDb db, int datastoreId, CatalogPlan plan, Func<Task> beforeCommit, CancellationToken ct)
    {
        if (plan.IsEmpty)
        {
            await beforeCommit();
            return;
        }
        var now = DateTime.UtcNow;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        foreach (var ids in plan.DeletedContainers.Chunk(UpdateBatch))
            await db.Containers.Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(ct);
        foreach (var ids in plan.RemovedContainers.Chunk(UpdateBatch))
            await db.Containers.Where(c => ids.Contains(c.Id)).ExecuteUpdateAsync(s => s.SetProperty(c => c.Removed, true).SetProperty(c => c.UpdatedAt, now), ct);
        foreach (var byType in plan.ChangedContainers.GroupBy(c => c.Type))
        foreach (var chunk in byType.Select(c => c.Id).Chunk(UpdateBatch))
            await db.Containers.Where(c => chunk.Contains(c.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.ContainerType, byType.Key).SetProperty(c => c.Removed, false).SetProperty(c => c.UpdatedAt, now), ct);

        foreach (var ids in plan.DeletedFields.Chunk(UpdateBatch))
            await db.Fields.Where(f => ids.Contains(f.Id)).ExecuteDeleteAsync(ct);
        foreach (var ids in plan.RemovedFields.Chunk(UpdateBatch))
            await db.Fields.Where(f => ids.Contains(f.Id)).ExecuteUpdateAsync(s => s.SetProperty(f => f.Removed, true).SetProperty(f => f.UpdatedAt, now), ct);

        var connection = db.Database.GetDbConnection();
        var dbTransaction = transaction.GetDbTransaction();
        // PostgreSQL takes big multi-row statements and COPY; SQLite binds parameters by name in a linear scan, so
        // huge statements cost it quadratic time, while one prepared single-row statement reused is its fast path.
        var postgres = db.Database.IsNpgsql();

        var changedFields = plan.ChangedFields.Select(c => new object[] { c.Id, c.Field.Ordinal, c.Field.DataType, c.Field.Nullable });
        if (postgres)
        {
            foreach (var chunk in changedFields.Chunk(UpdateBatch))
                await ExecuteAsync(connection, dbTransaction, "UPDATE fields SET ordinal = v.column2, data_type = v.column3, nullable = v.column4, removed = false, updated_at = @now FROM (VALUES ",
                    chunk, ") AS v WHERE fields.id = v.column1", now, ct);
        }
        else
        {
            await PreparedAsync(connection, dbTransaction, "UPDATE fields SET ordinal = @p1, data_type = @p2, nullable = @p3, removed = false, updated_at = @now WHERE id = @p0",
                4, changedFields, now, ct);
        }

        var newFields = new List<object[]>(plan.NewFields.Select(f => FieldRow(f.ContainerId, f.Field)));
        foreach (var chunk in plan.NewContainers.Chunk(ContainerBatch))
        {
            var ids = postgres
                ? await InsertContainersAsync(connection, dbTransaction, datastoreId, chunk, now, ct)
                : await InsertContainersOneByOneAsync(connection, dbTransaction, datastoreId, chunk, now, ct);
            foreach (var container in chunk)
                newFields.AddRange(container.Fields.DistinctBy(f => f.Name).Select(f => FieldRow(ids[container.Name], f)));
        }
        if (postgres) await CopyFieldsAsync((NpgsqlConnection)connection, newFields, now, ct);
        else
            await PreparedAsync(connection, dbTransaction,
                "INSERT INTO fields (container_id, name, ordinal, data_type, nullable, removed, created_at, updated_at) VALUES (@p0, @p1, @p2, @p3, @p4, false, @now, @now)",
                5, newFields, now, ct);

        await beforeCommit();
        await transaction.CommitAsync(ct);
    }

    private static object[] FieldRow(int containerId, Connectors.FieldInfo field) => [containerId, field.Name, field.Ordinal, field.DataType, field.Nullable];

    /// <summary>PostgreSQL: new fields through binary COPY, in the sync's transaction.</summary>
    private static async Task CopyFieldsAsync(NpgsqlConnection connection, IReadOnlyList<object[]> rows, DateTime now, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY fields (container_id, name, ordinal, data_type, nullable, removed, created_at, updated_at) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync((int)row[0], NpgsqlDbType.Integer, ct);
            await copy.WriteAsync((string)row[1], NpgsqlDbType.Text, ct);
            await copy.WriteAsync((int)row[2], NpgsqlDbType.Integer, ct);
            await copy.WriteAsync((string)row[3], NpgsqlDbType.Text, ct);
            await copy.WriteAsync((bool)row[4], NpgsqlDbType.Boolean, ct);
            await copy.WriteAsync(false, NpgsqlDbType.Boolean, ct);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
        }
        await copy.CompleteAsync(ct);
    }

    /// <summary>SQLite: one prepared statement (<c>@p0…</c>, <c>@now</c>) executed per row inside the transaction.</summary>
    private static async Task PreparedAsync(DbConnection connection, DbTransaction transaction, string sql, int width, IEnumerable<object[]> rows, DateTime now, CancellationToken ct)
    {
        await using var command = PreparedCommand(connection, transaction, sql, width, now);
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            for (var i = 0; i < width; i++) command.Parameters[i].Value = row[i];
            // Synchronous on purpose: SQLite runs in-process, and its async methods only wrap the same call.
            command.ExecuteNonQuery();
        }
    }

    private static async Task<Dictionary<string, int>> InsertContainersOneByOneAsync(
        DbConnection connection, DbTransaction transaction, int datastoreId, IReadOnlyList<Connectors.ContainerInfo> containers, DateTime now, CancellationToken ct)
    {
        await using var command = PreparedCommand(connection, transaction,
            "INSERT INTO containers (datastore_id, name, container_type, removed, created_at, updated_at) VALUES (@p0, @p1, @p2, false, @now, @now) RETURNING id", 3, now);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var container in containers)
        {
            command.Parameters[0].Value = datastoreId;
            command.Parameters[1].Value = container.Name;
            command.Parameters[2].Value = container.Type;
            ids[container.Name] = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        return ids;
    }

    private static DbCommand PreparedCommand(DbConnection connection, DbTransaction transaction, string sql, int width, DateTime now)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < width; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i;
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
        }
        var nowParameter = command.CreateParameter();
        nowParameter.ParameterName = "@now";
        nowParameter.Value = now;
        command.Parameters.Add(nowParameter);
        command.Prepare();
        return command;
    }

    private static async Task<Dictionary<string, int>> InsertContainersAsync(
        DbConnection connection, DbTransaction transaction, int datastoreId, IReadOnlyList<Connectors.ContainerInfo> containers, DateTime now, CancellationToken ct)
    {
        await using var command = BuildCommand(connection, transaction, "INSERT INTO containers (datastore_id, name, container_type, removed, created_at, updated_at) VALUES ",
            containers.Select(c => new object[] { datastoreId, c.Name, c.Type }), " RETURNING id, name", now, ", false, @now, @now");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct)) ids[reader.GetString(1)] = Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        return ids;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string prefix, IEnumerable<object[]> rows, string suffix,
        DateTime now, CancellationToken ct, string rowSuffix = "")
    {
        await using var command = BuildCommand(connection, transaction, prefix, rows, suffix, now, rowSuffix);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary><c>prefix (@p0, @p1, …rowSuffix), (…) suffix</c> with every value a parameter.</summary>
    private static DbCommand BuildCommand(DbConnection connection, DbTransaction transaction, string prefix, IEnumerable<object[]> rows, string suffix,
        DateTime now, string rowSuffix)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder(prefix);
        var n = 0;
        var firstRow = true;
        foreach (var row in rows)
        {
            sql.Append(firstRow ? "(" : ", (");
            firstRow = false;
            for (var i = 0; i < row.Length; i++)
            {
                var name = "@p" + n++;
                if (i > 0) sql.Append(", ");
                sql.Append(name);
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = row[i];
                command.Parameters.Add(parameter);
            }
            sql.Append(rowSuffix).Append(')');
        }
        sql.Append(suffix);
        var nowParameter = command.CreateParameter();
        nowParameter.ParameterName = "@now";
        nowParameter.Value = now;
        command.Parameters.Add(nowParameter);
        command.CommandText = sql.ToString();
        return command;
    }
}
