using Quarry.Server.Connections;
using Quarry.Server.Connectors;

namespace Quarry.Tests.Connectors;

/// <summary>
/// What every connector must do against its real engine. A connector's test class inherits this, creates a real
/// source with the shared shape below and says what that engine reports for it; a new connector adds one such class.
/// The source holds, in <see cref="SourceSchema"/>: a <c>customers</c> table, a <c>customer_names</c> view, a table
/// <c>"Order Items"</c> ("Item ID", "Quantity", price) and a table <c>"café"</c>; and a second schema
/// (<see cref="OtherSchema"/>) with one table.
/// </summary>
public abstract partial class ConnectorContractTests : IAsyncLifetime
{
    protected abstract IConnector Connector { get; }

    /// <summary>The source's connection, set once <see cref="CreateSourceAsync"/> has made it.</summary>
    protected ConnectionDetails Details { get; private set; } = null!;

    /// <summary>The catalog the schemas are in; null, unless overridden, for a connector without catalogs.</summary>
    protected virtual string? Catalog => null;

    protected abstract string SourceSchema { get; }
    protected abstract string OtherSchema { get; }

    /// <summary>Every schema a user can pick, system ones left out.</summary>
    protected abstract IReadOnlyList<string> ExpectedSchemas { get; }

    /// <summary>Catalogs that exist in the engine but are never offered (templates).</summary>
    protected virtual IReadOnlyList<string> HiddenCatalogs => [];

    /// <summary>The containers of <see cref="SourceSchema"/> as "name:type", in ordinal order.</summary>
    protected abstract IReadOnlyList<string> ExpectedContainers { get; }

    /// <summary>The fields of <c>customers</c> as "ordinal name type NULL|NOT NULL".</summary>
    protected abstract IReadOnlyList<string> ExpectedCustomerFields { get; }

    protected abstract IReadOnlyList<string> ExpectedCafeFields { get; }

    /// <summary>The containers of <see cref="OtherSchema"/> as "name: field, field".</summary>
    protected abstract IReadOnlyList<string> ExpectedOtherContainers { get; }

    /// <summary>Creates the real source and returns how to connect to it.</summary>
    protected abstract Task<ConnectionDetails> CreateSourceAsync();

    protected abstract Task DropSourceAsync();

    /// <summary>Adds a container named <paramref name="name"/> with one field <paramref name="field"/> to <see cref="SourceSchema"/>.</summary>
    protected abstract Task CreateContainerAsync(string name, string field);

    /// <summary>A schema with no container at all, and the connection that reaches it.</summary>
    protected abstract Task<(ConnectionDetails Details, string Schema)> CreateEmptySchemaAsync();

    /// <summary>
    /// The source's connection with a wrong password; null, unless overridden, for a connector that takes no credentials
    /// (which its descriptor must then refuse).
    /// </summary>
    protected virtual Task<ConnectionDetails?> WrongCredentialsAsync() => Task.FromResult<ConnectionDetails?>(null);

    /// <summary>A source that never answers (a silent server, a locked or endless file) until the result is disposed.</summary>
    protected abstract Task<StalledSource> StallAsync();

    /// <summary>Where a stalled read waits: <see cref="Reached"/> says when the connector is waiting on it (always true where that can't be seen).</summary>
    protected sealed record StalledSource(ConnectionDetails Details, string? Catalog, string Schema, Func<bool> Reached, Func<ValueTask> Release) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Release();
    }

    /// <summary>A server that accepts connections and never answers, with the source's connection pointed at it.</summary>
    protected StalledSource SilentServerStall()
    {
        var silent = new SilentServer();
        var details = Details with { Port = silent.Port, Parameters = new Dictionary<string, string> { ["connect_timeout"] = "600" } };
        return new StalledSource(details, Catalog, SourceSchema, () => silent.Accepted > 0, silent.DisposeAsync);
    }

    public async Task InitializeAsync() => Details = await CreateSourceAsync();

    public Task DisposeAsync() => DropSourceAsync();

    [Fact]
    public async Task ReadsEveryContainerKindWithAwkwardNamesAndTheirFields()
    {
        var containers = await Connector.ReadContainersAsync(Details, Catalog, SourceSchema, default);

        Assert.Equal(ExpectedContainers, containers.Select(c => $"{c.Name}:{c.Type}").Order(StringComparer.Ordinal));
        Assert.Equal(ExpectedCustomerFields,
            containers.Single(c => c.Name == "customers").Fields.Select(f => $"{f.Ordinal} {f.Name} {f.DataType} {(f.Nullable ? "NULL" : "NOT NULL")}"));
        Assert.Equal(["Item ID", "Quantity", "price"], containers.Single(c => c.Name == "Order Items").Fields.Select(f => f.Name));
        Assert.Equal(ExpectedCafeFields, containers.Single(c => c.Name == "café").Fields.Select(f => f.Name));

        var other = await Connector.ReadContainersAsync(Details, Catalog, OtherSchema, default);
        Assert.Equal(ExpectedOtherContainers, other.Select(c => $"{c.Name}: {string.Join(", ", c.Fields.Select(f => f.Name))}"));
    }

    [Fact]
    public async Task ListsItsCatalogsAndSchemasWithoutSystemOnes()
    {
        var catalogs = await Connector.ListCatalogsAsync(Details, default);
        if (Connector.Descriptor.HasCatalogs) Assert.Contains(Catalog!, catalogs);
        else Assert.Empty(catalogs);
        foreach (var hidden in HiddenCatalogs) Assert.DoesNotContain(hidden, catalogs);

        var schemas = await Connector.ListSchemasAsync(Details, Catalog, default);
        Assert.Equal(ExpectedSchemas.Order(StringComparer.Ordinal), schemas.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AMissingSchemaIsReportedByNameAsSchemaMissing()
    {
        Assert.True((await Connector.CheckSchemaAsync(Details, Catalog, SourceSchema, default)).Ok);
        var missing = await Connector.CheckSchemaAsync(Details, Catalog, "nope", default);
        Assert.False(missing.Ok);
        Assert.Contains("'nope' does not exist", missing.Message);

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => Connector.ReadContainersAsync(Details, Catalog, "nope", default));
        Assert.Equal(ConnectorFailure.SchemaMissing, failure.Failure);
    }

    [Fact]
    public async Task HostileAndUnicodeNamesAreReadAsThemselvesAndRunNothing()
    {
        const string hostile = "a\"; drop table customers; --";
        await CreateContainerAsync(hostile, "b'); drop table customers; --");
        await CreateContainerAsync("数据 ключ", "значение");

        var containers = await Connector.ReadContainersAsync(Details, Catalog, SourceSchema, default);
        Assert.Equal(["b'); drop table customers; --"], containers.Single(c => c.Name == hostile).Fields.Select(f => f.Name));
        Assert.Equal(["значение"], containers.Single(c => c.Name == "数据 ключ").Fields.Select(f => f.Name));
        Assert.Contains(containers, c => c.Name == "customers");

        var check = await Connector.CheckSchemaAsync(Details, Catalog, "x'; drop table customers; --", default);
        Assert.False(check.Ok);
        Assert.Contains("does not exist", check.Message);
        Assert.Contains((await Connector.ReadContainersAsync(Details, Catalog, SourceSchema, default)), c => c.Name == "customers");
    }

    [Fact]
    public async Task AnEmptySchemaIsReadableAndHoldsNoContainer()
    {
        var (details, schema) = await CreateEmptySchemaAsync();

        Assert.True((await Connector.CheckSchemaAsync(details, Catalog, schema, default)).Ok);
        Assert.Empty(await Connector.ReadContainersAsync(details, Catalog, schema, default));
    }

    [Fact]
    public async Task WrongCredentialsFailAsAuthenticationWithoutThePassword()
    {
        var wrong = await WrongCredentialsAsync();
        if (wrong is null)
        {
            // A connector without credentials refuses a password rather than storing one that nothing checks.
            Assert.Contains(Connector.Descriptor.UnusedFields, f => f.Field == ConnectionFields.Password);
            return;
        }
        var failure = await Assert.ThrowsAsync<ConnectorException>(() => Connector.TestAsync(wrong, Catalog, default));
        Assert.Equal(ConnectorFailure.AuthenticationFailed, failure.Failure);
        Assert.Contains("username and password", failure.Message);
        Assert.DoesNotContain(wrong.Password!, failure.Message);
    }

    [Fact]
    public async Task AnAbortStopsWaitingForASourceThatNeverAnswers()
    {
        await using var stall = await StallAsync();
        using var abort = new CancellationTokenSource();

        var reading = Connector.ReadContainersAsync(stall.Details, stall.Catalog, stall.Schema, abort.Token);
        await SyncApi.PollAsync(() => Task.FromResult(stall.Reached()), reached => reached, "the connector to wait on the source");
        Assert.False(reading.IsCompleted);
        await abort.CancelAsync();

        // The source stays silent far longer than this bound: ending within it is the abort's doing.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(TimeSpan.FromSeconds(20)));
    }
}
