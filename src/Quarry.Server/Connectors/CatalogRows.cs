using System.Data.Common;

namespace Quarry.Server.Connectors;

/// <summary>The catalog reads the SQL connectors share, each over a command its connector made (and these dispose).</summary>
internal static class CatalogRows
{
    /// <summary>Runs a statement whose answer does not matter: that it runs is what a connection test asks.</summary>
    public static async Task<bool> ProbeAsync(DbCommand command, CancellationToken ct)
    {
        await using (command) await command.ExecuteScalarAsync(ct);
        return true;
    }

    /// <summary>The first column of every row: the names of schemas or catalogs, in the order the query sorts them.</summary>
    public static async Task<IReadOnlyList<string>> NamesAsync(DbCommand command, CancellationToken ct)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            var names = new List<string>();
            while (await reader.ReadAsync(ct)) names.Add(reader.GetString(0));
            return names;
        }
    }

    /// <summary>
    /// Turns the rows of a connector's one catalog query into containers. Each row is
    /// (container name, container kind, field name or null, field type, field nullable), ordered by container then field.
    /// </summary>
    public static async Task<IReadOnlyList<ContainerInfo>> ReadAsync(DbDataReader reader, Func<string, string> containerType, CancellationToken ct)
    {
        var containers = new List<ContainerInfo>();
        string? current = null;
        List<FieldInfo> fields = [];
        while (await reader.ReadAsync(ct))
        {
            var name = reader.GetString(0);
            if (name != current)
            {
                current = name;
                fields = [];
                containers.Add(new ContainerInfo(name, containerType(reader.GetString(1)), fields));
            }
            // Ordinals are dense (1, 2, 3…): a database's own numbering may keep gaps where columns were dropped.
            if (!reader.IsDBNull(2)) fields.Add(new FieldInfo(reader.GetString(2), fields.Count + 1, reader.GetString(3), reader.GetBoolean(4)));
        }
        return containers;
    }
}
