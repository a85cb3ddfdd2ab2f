using Quarry.Server.Connectors;
using Quarry.Server.Connectors.Sqlite;

namespace Quarry.Tests.Sync;

/// <summary>What testing and syncing a SQLite source does to the files beside it (docs/sync.md, "SQLite").</summary>
public sealed class SqliteSourceFileTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("quarry-sqlite-source-").FullName;
    private QuarryTestServer _server = null!;

    public async Task InitializeAsync() => _server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, true);
    }

    [Fact]
    public async Task ARollbackJournalSourceGetsNoFileCreatedOrChanged()
    {
        var (main, archive) = await SourceDatabases.CreateSqliteAsync(_folder);
        var before = Files();

        await TestSyncAndVerifyAsync(main, new { attach = new { archive } }, "main", "archive");

        Assert.Equal(before, Files());
    }

    [Fact]
    public async Task AWalSourceGetsOnlyAnEmptyWalAndAnIndexThatItsOwnersNextCloseRemoves()
    {
        var path = Path.Combine(_folder, "events.db");
        await SourceDatabases.ExecuteSqliteAsync(path, "PRAGMA journal_mode=WAL; CREATE TABLE events (id INTEGER, at TEXT);");
        Assert.Equal(["events.db"], Files().Keys);
        var database = File.ReadAllBytes(path);

        await TestSyncAndVerifyAsync(path, null, "main");

        // Any reader of a WAL database needs these two; SQLite creates them and only a writer's last close removes them.
        Assert.Equal(["events.db", "events.db-shm", "events.db-wal"], Files().Keys);
        Assert.Empty(File.ReadAllBytes(path + "-wal"));
        Assert.Equal(database, File.ReadAllBytes(path));
        // The owner's next read-write close removes them, which it can only do if Quarry holds nothing open.
        await SourceDatabases.ExecuteSqliteAsync(path, "SELECT count(*) FROM events");
        Assert.Equal(["events.db"], Files().Keys);
    }

    [Fact]
    public async Task ASyncOfALiveWalSourceSeesWhatIsNotCheckpointedYetAndWritesNeitherFile()
    {
        var path = Path.Combine(_folder, "live.db");
        await SourceDatabases.ExecuteSqliteAsync(path, "PRAGMA journal_mode=WAL; CREATE TABLE old (id INTEGER);");
        // The owner keeps the database open with a table that exists only in the -wal.
        await using var owner = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        await owner.OpenAsync();
        await using (var create = owner.CreateCommand())
        {
            create.CommandText = "PRAGMA wal_autocheckpoint=0; CREATE TABLE fresh (id INTEGER, note TEXT);";
            await create.ExecuteNonQueryAsync();
        }
        var (database, wal) = (File.ReadAllBytes(path), File.ReadAllBytes(path + "-wal"));
        Assert.NotEmpty(wal);

        var datastore = await TestSyncAndVerifyAsync(path, null, "main");

        Assert.Equal(["fresh", "old"], (await SyncApi.ContainersAsync(_server.Admin, datastore)).Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal(database, File.ReadAllBytes(path));
        Assert.Equal(wal, File.ReadAllBytes(path + "-wal"));
    }

    /// <summary>Everything Quarry does with a source: test it saved and unsaved, verify and sync a datastore per schema.</summary>
    private async Task<int> TestSyncAndVerifyAsync(string path, object? parameters, params string[] schemas)
    {
        var body = new { name = "source", type = SqliteConnector.TypeName, path, parameters };
        var unsaved = await (await SyncApi.PostAsync(_server.Admin, "/api/connections/test", body)).Content.ReadFromJsonAsync<ConnectionCheckResult>(QuarryTestServer.Json);
        Assert.True(unsaved!.Success, unsaved.Message);
        var connection = await SyncApi.CreateConnectionAsync(_server.Admin, body);
        var saved = await (await SyncApi.PostAsync(_server.Admin, $"/api/connections/{connection}/test")).Content.ReadFromJsonAsync<ConnectionCheckResult>(QuarryTestServer.Json);
        Assert.True(saved!.Success, saved.Message);
        var datastore = 0;
        foreach (var schema in schemas)
        {
            datastore = await SyncApi.CreateDatastoreAsync(_server.Admin, connection, schema, null, schema);
            var verified = await (await SyncApi.PostAsync(_server.Admin, $"/api/datastores/{datastore}/connection")).Content.ReadFromJsonAsync<ConnectionCheckResult>(QuarryTestServer.Json);
            Assert.True(verified!.Success, verified.Message);
            var sync = await SyncApi.SyncAsync(_server.Admin, datastore);
            Assert.Equal(OperationResult.Success, sync.Result);
        }
        return datastore;
    }

    /// <summary>The folder's files by name, with their bytes.</summary>
    private SortedDictionary<string, string> Files() =>
        new(Directory.GetFiles(_folder).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(File.ReadAllBytes(f))), StringComparer.Ordinal);
}
