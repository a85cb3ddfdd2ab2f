using Microsoft.AspNetCore.Builder;
using Npgsql;
using Quarry.Server.Access;

namespace Quarry.Bench;

/// <summary>A real Quarry server in this process on a throwaway store: a temp SQLite folder or a fresh PostgreSQL database.</summary>
public sealed class BenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _adminConnectionString;

    private BenchServer(WebApplication app, ServerOptions options, string? adminConnectionString)
    {
        _app = app;
        Options = options;
        _adminConnectionString = adminConnectionString;
        Url = app.Urls.First();
    }

    public ServerOptions Options { get; }
    public string Url { get; }
    public StoreKind Kind => Options.StoreKind;

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Options.AdminToken);
        return client;
    }

    public static async Task<BenchServer> StartAsync(StoreKind kind)
    {
        var admin = kind == StoreKind.PostgreSql ? Environment.GetEnvironmentVariable(BenchOptions.PostgresVariable) : null;
        string? database = null;
        if (admin is not null)
        {
            var name = $"quarry_bench_{Guid.NewGuid():N}";
            await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
            database = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        }
        var options = new ServerOptions
        {
            Port = 0,
            DataDirectory = Directory.CreateTempSubdirectory("quarry-bench-").FullName,
            AdminToken = Tokens.Generate(),
            Database = database,
        };
        var app = await QuarryServer.StartAsync(options, logging => logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning));
        return new BenchServer(app, options, admin);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Options.Database is not null && _adminConnectionString is not null)
        {
            NpgsqlConnection.ClearAllPools();
            var name = new NpgsqlConnectionStringBuilder(Options.Database).Database;
            await ExecuteAsync(_adminConnectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
        Directory.Delete(Options.DataDirectory, recursive: true);
    }
}
