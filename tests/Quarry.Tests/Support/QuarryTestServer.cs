using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Quarry.Cli.Client;
using Quarry.Server;

namespace Quarry.Tests.Support;

/// <summary>
/// A real Quarry server on a free loopback port, on SQLite (a temp data folder) or on its own
/// PostgreSQL database, with every log line captured. Dispose stops it and removes its store.
/// </summary>
public sealed class QuarryTestServer : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = QuarryClient.Json;

    private readonly WebApplication _app;
    private readonly List<HttpClient> _clients = [];

    private QuarryTestServer(WebApplication app, ServerOptions options, CapturedLogs logs, string adminToken)
    {
        _app = app;
        Options = options;
        Logs = logs;
        AdminToken = adminToken;
        Url = app.Urls.First();
        Admin = Client(adminToken);
    }

    public ServerOptions Options { get; }
    public StoreKind Kind => Options.StoreKind;
    public CapturedLogs Logs { get; }
    public string Url { get; }
    public string AdminToken { get; }
    public HttpClient Admin { get; }
    public string DataDirectory => Options.DataDirectory;
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts on SQLite or on a fresh database of the shared test cluster, or on <paramref name="database"/> (left in place).</summary>
    public static async Task<QuarryTestServer> StartAsync(StoreKind kind, Action<ServerOptions>? configure = null, string? database = null)
    {
        var data = Directory.CreateTempSubdirectory("quarry-test-").FullName;
        var adminToken = Tokens.Generate();
        var options = new ServerOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            DataDirectory = data,
            AdminToken = adminToken,
            Workers = 2,
            Database = kind == StoreKind.PostgreSql ? database ?? await TestPostgres.CreateDatabaseAsync("quarry_store") : null,
        };
        configure?.Invoke(options);
        var logs = new CapturedLogs();
        var app = await QuarryServer.StartAsync(options, logging => logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        return new QuarryTestServer(app, options, logs, adminToken) { _ownsDatabase = database is null };
    }

    /// <summary>Another instance on the same store (same PostgreSQL database and secret key).</summary>
    public async Task<QuarryTestServer> StartSiblingAsync(Action<ServerOptions>? configure = null)
    {
        var options = new ServerOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            DataDirectory = Options.DataDirectory,
            AdminToken = AdminToken,
            Workers = Options.Workers,
            Database = Options.Database,
        };
        configure?.Invoke(options);
        var logs = new CapturedLogs();
        var app = await QuarryServer.StartAsync(options, logging => logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        return new QuarryTestServer(app, options, logs, AdminToken) { _ownsStore = false };
    }

    private bool _ownsStore = true;
    private bool _stopped;
    private bool _ownsDatabase = true;

    /// <summary>Stops this instance, keeping its store, and starts a fresh one on it (same options); the new one owns the store.</summary>
    public async Task<QuarryTestServer> RestartAsync()
    {
        _ownsStore = false;
        await DisposeAsync();
        var logs = new CapturedLogs();
        var app = await QuarryServer.StartAsync(Options, logging => logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        return new QuarryTestServer(app, Options, logs, AdminToken) { _ownsDatabase = _ownsDatabase };
    }

    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _clients.Add(client);
        return client;
    }

    /// <summary>Creates a user with a role and returns its id and a fresh token.</summary>
    public async Task<(int Id, string Token)> CreateUserAsync(string name, Role role)
    {
        var user = await PostJsonAsync<UserDto>(Admin, "/api/users", new { name, role = role.ToString() });
        var token = await PostJsonAsync<NewTokenDto>(Admin, $"/api/users/{user.Id}/tokens", new { name = "test" });
        return (user.Id, token.Token);
    }

    public static async Task<T> PostJsonAsync<T>(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body, Json);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"POST {path} → {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    public static async Task<T> GetJsonAsync<T>(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {path} → {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    /// <summary>Every byte of the store: the SQLite files, or a full dump of the PostgreSQL database's tables.</summary>
    public async Task<byte[]> ReadStoreBytesAsync()
    {
        if (Kind == StoreKind.Sqlite)
        {
            var bytes = new List<byte>();
            foreach (var file in Directory.GetFiles(DataDirectory, "quarry.db*"))
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var memory = new MemoryStream();
                await stream.CopyToAsync(memory);
                bytes.AddRange(memory.ToArray());
            }
            return [.. bytes];
        }
        await using var connection = new Npgsql.NpgsqlConnection(Options.Database);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new Npgsql.NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var dump = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            await using var select = new Npgsql.NpgsqlCommand($"SELECT t::text FROM \"{table}\" t", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync()) dump.AppendLine(reader.GetString(0));
        }
        return System.Text.Encoding.UTF8.GetBytes(dump.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopped) return;
        _stopped = true;
        foreach (var client in _clients) client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (!_ownsStore) return;
        if (Options.Database is not null && _ownsDatabase) await TestPostgres.DropDatabaseAsync(Options.Database);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
