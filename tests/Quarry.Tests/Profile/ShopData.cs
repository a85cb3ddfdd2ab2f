using Npgsql;
using Quarry.Server.Catalog;
using Quarry.Server.Operations.Profile;
using Quarry.Server.Quality;

namespace Quarry.Tests.Profile;

/// <summary>
/// A small shop built for profiles: customers and their orders (a foreign key), e-mail addresses, two-letter country
/// codes, a tier that is sometimes null, dates, a text column holding dates, amounts, status codes and a rarely set note.
/// </summary>
public static class ShopData
{
    public const string PostgresSql = """
        CREATE SCHEMA shop;
        CREATE TABLE shop.customers (
            id integer PRIMARY KEY, email text NOT NULL, country char(2) NOT NULL, tier text, signed_up date NOT NULL, account_code text);
        INSERT INTO shop.customers
        SELECT i, 'user' || i || '@example.com', (ARRAY['DE','FR','NL','US'])[1 + i % 4],
               CASE WHEN i % 5 = 0 THEN NULL ELSE (ARRAY['gold','silver','bronze'])[1 + i % 3] END,
               DATE '2024-01-01' + (i % 300), 'AC-' || lpad(i::text, 5, '0')
        FROM generate_series(1, 400) i;
        CREATE TABLE shop.orders (
            id bigint PRIMARY KEY, customer_id integer NOT NULL REFERENCES shop.customers(id), amount numeric(10,2) NOT NULL,
            status text NOT NULL, ordered_at timestamptz NOT NULL, ship_by text NOT NULL, note text, reference uuid NOT NULL);
        INSERT INTO shop.orders
        SELECT i, 1 + i % 400, (i % 97) * 1.25 + 5, (ARRAY['new','paid','shipped','cancelled'])[1 + i % 4],
               TIMESTAMPTZ '2024-03-01 08:00:00+00' + i * interval '37 minutes', to_char(DATE '2024-03-05' + (i % 60), 'YYYY-MM-DD'),
               CASE WHEN i % 7 = 0 THEN 'gift' END, md5(i::text)::uuid
        FROM generate_series(1, 3000) i;
        ANALYZE;
        """;

    public const string SqliteSql = """
        CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, country TEXT NOT NULL, tier TEXT, signed_up DATE NOT NULL, account_code TEXT);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
        INSERT INTO customers SELECT i, 'user' || i || '@example.com', CASE i % 4 WHEN 0 THEN 'DE' WHEN 1 THEN 'FR' WHEN 2 THEN 'NL' ELSE 'US' END,
            CASE WHEN i % 5 = 0 THEN NULL WHEN i % 3 = 0 THEN 'gold' WHEN i % 3 = 1 THEN 'silver' ELSE 'bronze' END, date('2024-01-01', '+' || (i % 300) || ' days'),
            'AC-' || substr('0000' || i, -5)
        FROM n;
        CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), amount REAL NOT NULL, status TEXT NOT NULL, note TEXT);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
        INSERT INTO orders SELECT i, 1 + i % 400, (i % 97) * 1.25 + 5,
            CASE i % 4 WHEN 0 THEN 'new' WHEN 1 THEN 'paid' WHEN 2 THEN 'shipped' ELSE 'cancelled' END, CASE WHEN i % 7 = 0 THEN 'gift' END
        FROM n;
        """;

    /// <summary>
    /// The SQLite shop and its readings as plain rows (no recursive query, no string operators, no date functions),
    /// for the sources whose SQL differs most: MariaDB and a folder of Parquet files written by DuckDB.
    /// </summary>
    public static string PortableSql()
    {
        var sql = new System.Text.StringBuilder("""
            CREATE TABLE customers (id INTEGER NOT NULL, email VARCHAR(100) NOT NULL, country VARCHAR(2) NOT NULL, tier VARCHAR(10), signed_up DATE NOT NULL, account_code VARCHAR(20));
            CREATE TABLE orders (id INTEGER NOT NULL, customer_id INTEGER NOT NULL, amount NUMERIC(10,2) NOT NULL, status VARCHAR(12) NOT NULL, note VARCHAR(10));
            CREATE TABLE readings (id INTEGER NOT NULL, sensor VARCHAR(8) NOT NULL, reading NUMERIC(8,2), unit VARCHAR(3) NOT NULL);

            """);
        static string Text(string? value) => value is null ? "NULL" : $"'{value}'";
        void Insert(string table, int count, Func<int, string> row)
        {
            for (var start = 1; start <= count; start += 1000)
                sql.Append($"INSERT INTO {table} VALUES ")
                    .AppendJoin(", ", Enumerable.Range(start, Math.Min(1000, count - start + 1)).Select(i => "(" + row(i) + ")")).Append(";\n");
        }
        string[] countries = ["DE", "FR", "NL", "US"], statuses = ["new", "paid", "shipped", "cancelled"];
        var day = new DateOnly(2024, 1, 1);
        Insert("customers", 400, i => string.Join(", ", i, Text($"user{i}@example.com"), Text(countries[i % 4]),
            Text(i % 5 == 0 ? null : i % 3 == 0 ? "gold" : i % 3 == 1 ? "silver" : "bronze"), Text(day.AddDays(i % 300).ToString("yyyy-MM-dd")),
            Text($"AC-{i:00000}")));
        Insert("orders", 30000, i => string.Join(", ", i, 1 + i % 400, ((i % 97) * 1.25m + 5).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Text(statuses[i % 4]), Text(i % 7 == 0 ? "gift" : null)));
        Insert("readings", 25000, i => string.Join(", ", i, Text($"S-{i % 40}"),
            i % 11 == 0 ? "NULL" : ((i % 500) * 0.5m - 20).ToString(System.Globalization.CultureInfo.InvariantCulture), Text(i % 3 == 0 ? "C" : "F")));
        return sql.ToString();
    }

    /// <summary>
    /// Sensor readings, on either database: more rows than a profile plans with, so it samples to plan and counts the
    /// few-valued columns exactly.
    /// </summary>
    public static string Readings(string table) => $"""
        CREATE TABLE {table} (id INTEGER NOT NULL, sensor VARCHAR(8) NOT NULL, reading NUMERIC(8,2), unit VARCHAR(3) NOT NULL);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25000)
        INSERT INTO {table} SELECT i, 'S-' || (i % 40), CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 500) * 0.5 - 20 END,
            CASE WHEN i % 3 = 0 THEN 'C' ELSE 'F' END FROM n;
        """;

    /// <summary>The shop in a new PostgreSQL database: its connection string.</summary>
    public static async Task<string> CreatePostgresAsync()
    {
        var source = await TestPostgres.CreateDatabaseAsync("quarry_shop");
        await TestPostgres.ExecuteAsync(PostgresSql, source);
        return source;
    }

    /// <summary>A synced datastore over the PostgreSQL shop's schema.</summary>
    public static async Task<int> PostgresDatastoreAsync(HttpClient admin, string source, string name = "shop")
    {
        var connection = await SyncApi.CreateConnectionAsync(admin, SourceDatabases.PostgresConnection(name + "-db", source));
        var datastore = await SyncApi.CreateDatastoreAsync(admin, connection, name, new NpgsqlConnectionStringBuilder(source).Database, "shop");
        Assert.Equal(OperationResult.Success, (await SyncApi.SyncAsync(admin, datastore)).Result);
        return datastore;
    }

    public static async Task<OperationDto> ProfileAsync(HttpClient client, int datastoreId, object? parameters = null)
    {
        var body = new Dictionary<string, object?> { ["type"] = "profile", ["datastore_id"] = datastoreId };
        if (parameters is not null)
            foreach (var property in parameters.GetType().GetProperties()) body[property.Name] = property.GetValue(parameters);
        var queued = await QuarryTestServer.PostJsonAsync<OperationDto>(client, "/api/operations/run", body);
        return await SyncApi.WaitAsync(client, queued.Id, seconds: 120);
    }

    public static async Task<int> ContainerIdAsync(HttpClient client, int datastoreId, string name) =>
        (await SyncApi.ContainersAsync(client, datastoreId)).Single(c => c.Name == name).Id;

    public static async Task<Dictionary<string, FieldProfileDto>> FieldProfilesAsync(HttpClient client, int containerId, int? operationId = null) =>
        (await QuarryTestServer.GetJsonAsync<Page<FieldProfileDto>>(client,
            $"/api/containers/{containerId}/field-profiles?size=1000{(operationId is int id ? $"&operation_id={id}" : "")}")).Items.ToDictionary(p => p.FieldName);

    public static async Task<List<QualityCheckDto>> ChecksAsync(HttpClient client, int datastoreId, string? status = null) =>
        [.. (await QuarryTestServer.GetJsonAsync<Page<QualityCheckDto>>(client,
            $"/api/quality-checks?datastore={datastoreId}&size=1000{(status is null ? "" : "&status=" + status)}")).Items];

    /// <summary>A check as one line: <c>orders.amount between {"max":127,"min":5}</c>.</summary>
    public static string Describe(QualityCheckDto check) =>
        $"{check.Container.Name}.{string.Join(",", check.FieldNames)} {check.Rule} {check.Properties.GetRawText()}".TrimEnd();

    public static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string path, object body) =>
        await client.PatchAsJsonAsync(path, body, QuarryTestServer.Json);
}
