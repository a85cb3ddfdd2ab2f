using System.Text;
using Npgsql;
using Quarry.Cli.Client;
using Quarry.Contracts;
using Quarry.Contracts.Catalog;
using Quarry.Contracts.Operations;

namespace Quarry.Bench.Sync;

/// <summary>The bench's source and store databases on the PostgreSQL in QUARRY_BENCH_POSTGRES.</summary>
internal static class Postgres
{
    public static async Task<string> CreateDatabaseAsync(string admin, string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string admin, string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(connectionString).Database}\" WITH (FORCE)");
    }

    /// <summary>Creates <paramref name="tables"/> tables of <paramref name="columns"/> columns, a few hundred CREATEs per round trip.</summary>
    public static async Task CreateWideSchemaAsync(string connectionString, string schema, int tables, int columns)
    {
        await ExecuteAsync(connectionString, $"CREATE SCHEMA {schema}");
        var types = new[] { "integer", "text", "numeric(12,2)", "timestamptz", "boolean", "varchar(100)", "bigint", "date", "jsonb", "double precision" };
        var columnList = string.Join(", ", Enumerable.Range(1, columns).Select(c => $"c{c:00} {types[c % types.Length]}{(c == 1 ? " NOT NULL" : "")}"));
        for (var start = 1; start <= tables; start += 250)
        {
            var sql = new StringBuilder();
            for (var t = start; t < start + 250 && t <= tables; t++) sql.Append($"CREATE TABLE {schema}.t{t:00000} ({columnList});\n");
            await ExecuteAsync(connectionString, sql.ToString());
        }
    }

    public static async Task<int> CountFieldsAsync(BenchApi api, int datastoreId)
    {
        var containers = await api.ContainersAsync(datastoreId);
        return containers.Sum(c => c.FieldCount);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>The few API calls the bench makes.</summary>
internal sealed class BenchApi(HttpClient http)
{
    private sealed record IdDto(int Id);

    public async Task<int> CreateAsync(string path, object body)
    {
        var response = await http.PostAsJsonAsync(path, body, QuarryClient.Json);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<IdDto>(QuarryClient.Json))!.Id;
    }

    public Task<OperationDto> SyncAsync(int datastoreId) => RunAsync("sync", datastoreId);

    /// <summary>Runs an operation (sync, scan, profile) on a datastore and polls it to its end; throws unless it succeeded.</summary>
    public async Task<OperationDto> RunAsync(string type, int datastoreId)
    {
        var response = await http.PostAsJsonAsync("/api/operations/run", new { type, datastore_id = datastoreId }, QuarryClient.Json);
        var operation = (await response.Content.ReadFromJsonAsync<OperationDto>(QuarryClient.Json))!;
        while (operation.State != OperationState.Finished)
        {
            await Task.Delay(20);
            operation = (await http.GetFromJsonAsync<OperationDto>($"/api/operations/{operation.Id}", QuarryClient.Json))!;
        }
        if (operation.Result != OperationResult.Success) throw new InvalidOperationException($"{type} {operation.Id} failed: {operation.Message}");
        return operation;
    }

    public async Task<List<ContainerDto>> ContainersAsync(int datastoreId)
    {
        var all = new List<ContainerDto>();
        for (var page = 1; ; page++)
        {
            var result = (await http.GetFromJsonAsync<Page<ContainerDto>>($"/api/containers?datastore={datastoreId}&include_removed=true&size=1000&page={page}", QuarryClient.Json))!;
            all.AddRange(result.Items);
            if (all.Count >= result.Total || result.Items.Count == 0) return all;
        }
    }

    /// <summary>Every container and every field (ids, values, created_at and updated_at) as one string: equal means nothing was written.</summary>
    public async Task<string> CatalogFingerprintAsync(int datastoreId)
    {
        var text = new StringBuilder();
        foreach (var container in await ContainersAsync(datastoreId))
        {
            text.AppendLine(JsonSerializer.Serialize(container));
            var fields = (await http.GetFromJsonAsync<Page<FieldDto>>($"/api/containers/{container.Id}/fields?include_removed=true&size=1000", QuarryClient.Json))!;
            foreach (var field in fields.Items) text.AppendLine(JsonSerializer.Serialize(field));
        }
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
