namespace Quarry.Tests.Config;

/// <summary>Writes config folders laid out as docs/config-import.md describes, and reads back what the store holds.</summary>
internal static class ConfigFolders
{
    public const string WarehousePassword = "S3cur3p@ss-warehouse";
    public const string AnalyticsPassword = "an0th3r-analytics-secret";

    /// <summary>A typical config folder: three connections (secrets as variables), their datastores, an enrichment link and a group.</summary>
    public static string WriteSeedFolder(string parent, string name = "quarry-config")
    {
        var root = Path.Combine(parent, name);
        Write(root, "connections/warehouse-prod-db.yaml", """
            name: warehouse-prod-db
            type: postgresql
            host: ${WAREHOUSE_HOST}
            port: 5432
            username: ${WAREHOUSE_USER}
            password: ${WAREHOUSE_PASSWORD}
            """);
        Write(root, "connections/analytics-prod-db.yaml", """
            name: analytics-prod-db
            type: postgresql
            host: analytics.example.com
            port: 5432
            username: reader
            password: ${ANALYTICS_PASSWORD}
            database: events
            """);
        Write(root, "connections/data-lake-prod.yaml", """
            name: data-lake-prod
            type: sqlite
            path: /srv/lake.db
            """);
        Write(root, "datastores/warehouse-prod/_datastore.yaml", """
            name: warehouse-prod
            connection: warehouse-prod-db
            database: analytics
            schema: public
            tags:
              - production
              - warehouse
            group: production
            enrichment_datastore: warehouse-enrichment
            """);
        Write(root, "datastores/warehouse-enrichment/_datastore.yaml", """
            name: warehouse-enrichment
            connection: warehouse-prod-db
            database: analytics
            schema: quarry_enrichment
            enrichment_only: true
            """);
        Write(root, "datastores/analytics-prod/_datastore.yaml", """
            name: analytics-prod
            connection_name: analytics-prod-db
            schema: public
            tags: [production]
            """);
        Write(root, "datastores/data-lake-prod/_datastore.yaml", """
            name: data-lake-prod
            connection: data-lake-prod
            """);
        return root;
    }

    public static CliRunner WithSeedSecrets(this CliRunner cli) => cli
        .Set("WAREHOUSE_HOST", "warehouse.example.com")
        .Set("WAREHOUSE_USER", "quarry_reader")
        .Set("WAREHOUSE_PASSWORD", WarehousePassword)
        .Set("ANALYTICS_PASSWORD", AnalyticsPassword);

    /// <summary>Runs <c>config import --input <paramref name="folder"/></c> with <paramref name="options"/> after it.</summary>
    public static Task<CliResult> ImportAsync(this CliRunner cli, string folder, params string[] options) =>
        cli.RunAsync(["config", "import", "--input", folder, .. options]);

    public static void Write(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text + "\n");
    }

    public static async Task<T> WithDbAsync<T>(this QuarryTestServer server, Func<QuarryDb, Task<T>> read)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<QuarryDb>());
    }

    /// <summary>Every connection and datastore row as text, updated_at included: equal snapshots mean nothing was written.</summary>
    public static Task<string> SnapshotAsync(this QuarryTestServer server) => server.WithDbAsync(async db =>
    {
        var connections = await db.Connections.AsNoTracking().OrderBy(c => c.Id)
            .Select(c => $"{c.Id}|{c.Name}|{c.Host}|{c.Port}|{c.Username}|{c.PasswordSecret}|{c.Database}|{c.Path}|{c.ParametersJson}|{c.ConfigNamespace}|{c.UpdatedAt:O}").ToListAsync();
        var datastores = await db.Datastores.AsNoTracking().Include(d => d.Tags).Include(d => d.Teams).OrderBy(d => d.Id).ToListAsync();
        var groups = await db.DatastoreGroups.AsNoTracking().OrderBy(g => g.Id).Select(g => $"{g.Id}|{g.Name}|{g.ConfigNamespace}").ToListAsync();
        return string.Join("\n", connections.Concat(groups).Concat(datastores.Select(d =>
            $"{d.Id}|{d.Name}|{d.ConnectionId}|{d.Database}|{d.Schema}|{d.Description}|{d.GroupId}|{d.EnrichmentOnly}|{d.EnrichmentDatastoreId}|{d.EnrichmentPrefix}|{d.ConfigNamespace}|{d.UpdatedAt:O}|" +
            string.Join(",", d.Tags.Select(t => t.Name).Order()) + "|" + string.Join(",", d.Teams.Select(t => t.TeamId).Order()))));
    });

    public static Task<(int Connections, int Datastores, int Groups)> CountAsync(this QuarryTestServer server) => server.WithDbAsync(async db =>
        (await db.Connections.CountAsync(), await db.Datastores.CountAsync(), await db.DatastoreGroups.CountAsync()));

    /// <summary>The summary row for a resource, as the Import Summary table prints it.</summary>
    public static string Row(string resource, int created, int updated, int unchanged, int failed) =>
        $"│ {resource} │ {created} │ {updated} │ {unchanged} │ {failed} │";

    /// <summary>The table's cells with padding removed, so rows compare without depending on column widths.</summary>
    public static string Squeeze(string output) =>
        System.Text.RegularExpressions.Regex.Replace(output, " {2,}", " ");
}
