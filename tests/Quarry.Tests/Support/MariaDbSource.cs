namespace Quarry.Tests.Support;

/// <summary>
/// A MariaDB source with the connector contract's shape: a schema with <c>customers</c>, a view, <c>`Order Items`</c>
/// and <c>`café`</c>, and a second schema with <c>`Old Orders`</c>; read by its own login, which sees nothing else.
/// </summary>
public sealed class MariaDbSource : IAsyncDisposable
{
    private readonly List<string> _schemas = [];

    private MariaDbSource(string id, string user, string password)
    {
        (Id, User, Password) = (id, user, password);
        Sales = $"sales_{id}";
        Archive = $"Archive_{id}";
    }

    public string Id { get; }
    public string User { get; }
    public string Password { get; }
    public string Sales { get; }
    public string Archive { get; }

    public static async Task<MariaDbSource> CreateAsync()
    {
        var (user, password) = await TestMariaDb.CreateUserAsync();
        var source = new MariaDbSource(Guid.NewGuid().ToString("N")[..10], user, password);
        await source.CreateSchemaAsync(source.Sales);
        await source.CreateSchemaAsync(source.Archive);
        var (s, a) = (TestMariaDb.Quote(source.Sales), TestMariaDb.Quote(source.Archive));
        await TestMariaDb.ExecuteAsync($"""
            CREATE TABLE {s}.customers (id int PRIMARY KEY, name varchar(100) NOT NULL, email varchar(200), balance decimal(12,2));
            CREATE TABLE {s}.`Order Items` (`Item ID` bigint NOT NULL, `Quantity` int, price decimal(10,2));
            CREATE TABLE {s}.`café` (`crème` text, `brûlée` datetime NOT NULL);
            CREATE VIEW {s}.customer_names AS SELECT id, name FROM {s}.customers;
            CREATE TABLE {a}.`Old Orders` (id int, `Total` decimal(12,2));
            """);
        return source;
    }

    /// <summary>Creates a database (a schema, to Quarry) that this source's login may read.</summary>
    public async Task CreateSchemaAsync(string schema)
    {
        _schemas.Add(schema);
        await TestMariaDb.ExecuteAsync($"CREATE DATABASE {TestMariaDb.Quote(schema)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin; "
            + $"GRANT SELECT, SHOW VIEW ON {TestMariaDb.Quote(schema)}.* TO '{User}'@'127.0.0.1';");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var schema in _schemas) await TestMariaDb.ExecuteAsync($"DROP DATABASE IF EXISTS {TestMariaDb.Quote(schema)}");
        await TestMariaDb.DropUserAsync(User);
    }
}
