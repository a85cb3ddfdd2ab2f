using Quarry.Tests.Config;

namespace Quarry.Tests.Connectors;

/// <summary>
/// The wide-container edge of the connector contract: a container of 10,000 columns, or as many as the engine allows
/// (<see cref="WidestContainer"/>), is read whole by the connector and synced whole through a real server.
/// </summary>
public abstract partial class ConnectorContractTests
{
    /// <summary>The most columns the engine lets one container have, up to 10,000 (each connector says why).</summary>
    protected abstract int WidestContainer { get; }

    /// <summary>Adds container <paramref name="name"/> to <see cref="SourceSchema"/> with the columns <see cref="WideColumn"/>(1…<paramref name="columns"/>).</summary>
    protected abstract Task CreateWideContainerAsync(string name, int columns);

    protected static string WideColumn(int ordinal) => $"c{ordinal:00000}";

    /// <summary>The column definitions of a wide table: <see cref="WideColumn"/>(1…<paramref name="columns"/>), each of <paramref name="type"/>.</summary>
    protected static string WideColumnDefinitions(int columns, string type) =>
        string.Join(", ", Enumerable.Range(1, columns).Select(c => $"{WideColumn(c)} {type}"));

    [Fact]
    public async Task AContainerOfAsManyColumnsAsTheEngineAllowsIsReadAndSyncedWhole()
    {
        await CreateWideContainerAsync("wide", WidestContainer);
        var columns = Enumerable.Range(1, WidestContainer).Select(WideColumn).ToList();

        var read = (await Connector.ReadContainersAsync(Details, Catalog, SourceSchema, default)).Single(c => c.Name == "wide");
        Assert.Equal(columns, read.Fields.Select(f => f.Name));
        Assert.Equal(Enumerable.Range(1, WidestContainer), read.Fields.Select(f => f.Ordinal));

        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var connection = await SyncApi.CreateConnectionAsync(server.Admin, ConnectionBody());
        var datastore = await SyncApi.CreateDatastoreAsync(server.Admin, connection, "wide-source", Catalog, SourceSchema);
        var sync = await SyncApi.WaitAsync(server.Admin, (await SyncApi.StartSyncAsync(server.Admin, datastore)).Id, seconds: 300);
        Assert.True(sync.Result == OperationResult.Success, sync.Message);

        var container = (await SyncApi.ContainersAsync(server.Admin, datastore)).Single(c => c.Name == "wide");
        Assert.Equal(WidestContainer, container.FieldCount);
        var recorded = await server.WithDbAsync(db => db.Fields.Where(f => f.ContainerId == container.Id).OrderBy(f => f.Ordinal)
            .Select(f => new { f.Name, f.Ordinal }).ToListAsync());
        Assert.Equal(columns, recorded.Select(f => f.Name));
        Assert.Equal(Enumerable.Range(1, WidestContainer), recorded.Select(f => f.Ordinal));
    }

    /// <summary>The source's connection as the API takes it: only the fields this connector's details hold.</summary>
    private Dictionary<string, object?> ConnectionBody()
    {
        var body = new Dictionary<string, object?> { ["name"] = "wide-source-db", ["type"] = Details.Type };
        if (Details.Host is not null) body["host"] = Details.Host;
        if (Details.Port is not null) body["port"] = Details.Port;
        if (Details.Username is not null) body["username"] = Details.Username;
        if (Details.Password is not null) body["password"] = Details.Password;
        if (Details.Database is not null) body["database"] = Details.Database;
        if (Details.Path is not null) body["path"] = Details.Path;
        if (Details.Parameters.Count > 0) body["parameters"] = Details.Parameters;
        return body;
    }
}
