using Quarry.Server.Catalog;

namespace Quarry.Tests.Quality;

/// <summary>
/// A real server with one datastore whose catalog holds <c>orders</c>, <c>customers</c> and a never-synced
/// <c>staging</c> table. The catalog rows are written through the server's own store (QuarryDb), as a sync would.
/// </summary>
public sealed class QualityWorld : IAsyncDisposable
{
    private QualityWorld(QuarryTestServer server) => Server = server;

    public QuarryTestServer Server { get; }
    public int DatastoreId { get; private set; }
    public int Orders { get; private set; }
    public int Customers { get; private set; }
    public int Staging { get; private set; }

    public static async Task<QualityWorld> StartAsync(StoreKind kind, string[]? teams = null)
    {
        var world = new QualityWorld(await QuarryTestServer.StartAsync(kind));
        var admin = world.Server.Admin;
        foreach (var team in teams ?? []) await QuarryTestServer.PostJsonAsync<JsonElement>(admin, "/api/teams", new { name = team });
        var connection = await QuarryTestServer.PostJsonAsync<JsonElement>(admin, "/api/connections",
            new { name = "shop-db", type = "postgresql", host = "db.example.com", port = 5432, username = "reader", password = "pw", database = "shop" });
        var datastore = await QuarryTestServer.PostJsonAsync<JsonElement>(admin, "/api/datastores",
            new { name = "shop", connection_id = connection.GetProperty("id").GetInt32(), database = "shop", schema = "public", teams = teams ?? [] });
        world.DatastoreId = datastore.GetProperty("id").GetInt32();
        world.Orders = await world.AddContainerAsync("orders",
            ("id", "integer"), ("customer_id", "integer"), ("amount", "numeric"), ("status", "text"), ("email", "text"), ("created_at", "timestamp"));
        world.Customers = await world.AddContainerAsync("customers", ("id", "integer"), ("name", "text"), ("country", "text"));
        world.Staging = await world.AddContainerAsync("staging");
        return world;
    }

    public async Task<int> AddContainerAsync(string name, params (string Name, string Type)[] fields)
    {
        using var scope = Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
        var now = DateTime.UtcNow;
        var container = new Container
        {
            DatastoreId = DatastoreId, Name = name, ContainerType = "table", CreatedAt = now, UpdatedAt = now,
            Fields = fields.Select((f, i) => new Field { Name = f.Name, DataType = f.Type, Ordinal = i + 1, Nullable = true, CreatedAt = now, UpdatedAt = now }).ToList(),
        };
        db.Containers.Add(container);
        await db.SaveChangesAsync();
        return container.Id;
    }

    /// <summary>The messages of a validation problem for one field (empty when that field has none).</summary>
    public static IReadOnlyList<string> Errors(JsonElement problem, string field) =>
        problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var list)
            ? list.EnumerateArray().Select(e => e.GetString()!).ToList()
            : [];

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>One quality world per store, shared by the tests of a class that only read it or send refused requests.</summary>
public sealed class QualityWorldPerStore() : PerStore<QualityWorld>(kind => QualityWorld.StartAsync(kind));
