namespace Quarry.Tests.Profile;

/// <summary>
/// A server (SQLite store) with the PostgreSQL shop of <see cref="ShopData"/> synced as datastore <see cref="Shop"/>; the
/// shop's database is dropped with it.
/// </summary>
public sealed class PostgresShop : IAsyncDisposable
{
    private PostgresShop(PostgresSource source, QuarryTestServer server) => (Source, Server) = (source, server);

    public PostgresSource Source { get; }
    public QuarryTestServer Server { get; }
    public HttpClient Admin => Server.Admin;
    public int Shop { get; private set; }

    public static async Task<PostgresShop> StartAsync()
    {
        var source = new PostgresSource(await ShopData.CreatePostgresAsync());
        QuarryTestServer server;
        try
        {
            server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
        return await WorldSetup.SetUpAsync(new PostgresShop(source, server),
            async world => world.Shop = await ShopData.PostgresDatastoreAsync(world.Admin, source.ConnectionString));
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Source.DisposeAsync();
    }
}
