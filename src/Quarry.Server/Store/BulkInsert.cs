using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Quarry.Server.Store;

/// <summary>
/// Multi-row INSERTs of new entities, columns and parameter types taken from the EF model. EF Core writes one
/// statement per row, which on SQLite cost 75–150 µs each and was most of a cold <c>config import</c>
/// (1,000 connections and 1,000 datastores bring 5,000+ rows with tags and teams). The same SQL runs on
/// SQLite and PostgreSQL. A generated key is read back with RETURNING and matched to its entity by a unique
/// column, since neither store promises RETURNING rows in VALUES order. The entities are left untracked:
/// attaching them (and their tags and teams) cost more than the INSERTs, and made every later SaveChanges scan
/// them; callers must not reach them from a tracked entity's navigation, or EF would insert them again.
/// </summary>
internal static class BulkInsert
{
    // Small statements: Microsoft.Data.Sqlite finds each parameter by name in a list, so binding is quadratic in
    // the parameters per statement (4,000 made 1,000 connections slower than EF's row-by-row inserts; 120 beat 300).
    private const int MaxParameters = 120;

    /// <param name="uniqueProperty">A unique property (e.g. NameKey) to match generated keys back; null when the key is not generated.</param>
    public static async Task AddAsync<T>(QuarryDb db, IReadOnlyList<T> entities, string? uniqueProperty, CancellationToken ct) where T : class
    {
        if (entities.Count == 0) return;
        var type = db.Model.FindEntityType(typeof(T))!;
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var key = type.FindPrimaryKey()!.Properties;
        var generated = key.Count == 1 && key[0].ValueGenerated == ValueGenerated.OnAdd ? key[0] : null;
        var unique = uniqueProperty is null ? null : type.FindProperty(uniqueProperty)!;
        if ((generated is null) != (unique is null)) throw new InvalidOperationException($"{typeof(T).Name}: a unique property is needed exactly when the key is generated.");
        var columns = type.GetProperties().Where(p => p != generated).ToList();
        var byUnique = unique is null ? null : entities.ToDictionary(e => (string)unique.GetGetter().GetClrValue(e)!, StringComparer.Ordinal);

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var perStatement = Math.Max(1, MaxParameters / columns.Count);
            for (var start = 0; start < entities.Count; start += perStatement)
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
                var sql = new StringBuilder($"INSERT INTO {table.Name} ({string.Join(", ", columns.Select(c => c.GetColumnName(table)))}) VALUES ");
                foreach (var entity in entities.Skip(start).Take(perStatement))
                {
                    sql.Append(command.Parameters.Count == 0 ? "(" : ", (");
                    for (var c = 0; c < columns.Count; c++)
                    {
                        var name = $"@p{command.Parameters.Count}";
                        var value = columns[c].GetGetter().GetClrValue(entity);
                        command.Parameters.Add(columns[c].GetRelationalTypeMapping().CreateParameter(command, name, value, columns[c].IsNullable));
                        sql.Append(c == 0 ? name : ", " + name);
                    }
                    sql.Append(')');
                }
                if (generated is null)
                {
                    command.CommandText = sql.ToString();
                    await RunAsync(() => command.ExecuteNonQueryAsync(ct));
                    continue;
                }
                command.CommandText = sql.Append($" RETURNING {generated.GetColumnName(table)}, {unique!.GetColumnName(table)}").ToString();
                await RunAsync(async () =>
                {
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct))
                        generated.PropertyInfo!.SetValue(byUnique![reader.GetString(1)], Convert.ChangeType(reader.GetValue(0), generated.ClrType));
                    return 0;
                });
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Store errors (a unique name taken meanwhile) surface as SaveChanges' would, so callers' handling stays the same.</summary>
    private static async Task RunAsync(Func<Task<int>> run)
    {
        try { await run(); }
        catch (DbException e) { throw new DbUpdateException(e.Message, e); }
    }
}
