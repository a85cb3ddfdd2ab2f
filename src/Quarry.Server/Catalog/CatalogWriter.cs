using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Quarry.Server.Store;

namespace Quarry.Server.Catalog;

/// <summary>
/// Writes a <see cref="CatalogPlan"/> in one transaction with set-based statements: multi-row INSERTs,
/// UPDATE … FROM (VALUES …) and id-list UPDATE/DELETEs, a few thousand rows per statement. The SQL is
/// the common subset of SQLite (3.35+) and PostgreSQL, so both stores run the same code.
/// </summary>
public static class CatalogWriter
{
    /// <summary>Rows per statement: SQLite allows 32,766 parameters, PostgreSQL 65,535.</summary>
    private const int ContainerBatch = 1000;
    private const int FieldBatch = 2000;
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
        foreach (var chunk in plan.ChangedFields.Chunk(UpdateBatch))
            await ExecuteAsync(connection, dbTransaction, "UPDATE fields SET ordinal = v.column2, data_type = v.column3, nullable = v.column4, removed = false, updated_at = @now FROM (VALUES ",
                chunk.Select(c => new object[] { c.Id, c.Field.Ordinal, c.Field.DataType, c.Field.Nullable }), ") AS v WHERE fields.id = v.column1", now, ct);

        var newFields = new List<object[]>(plan.NewFields.Select(f => FieldRow(f.ContainerId, f.Field)));
        foreach (var chunk in plan.NewContainers.Chunk(ContainerBatch))
        {
            var ids = await InsertContainersAsync(connection, dbTransaction, datastoreId, chunk, now, ct);
            foreach (var container in chunk)
                newFields.AddRange(container.Fields.DistinctBy(f => f.Name).Select(f => FieldRow(ids[container.Name], f)));
        }
        foreach (var chunk in newFields.Chunk(FieldBatch))
            await ExecuteAsync(connection, dbTransaction, "INSERT INTO fields (container_id, name, ordinal, data_type, nullable, removed, created_at, updated_at) VALUES ",
                chunk, "", now, ct, rowSuffix: ", false, @now, @now");

        await beforeCommit();
        await transaction.CommitAsync(ct);
    }

    private static object[] FieldRow(int containerId, Connectors.FieldInfo field) => [containerId, field.Name, field.Ordinal, field.DataType, field.Nullable];

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
