using System.Diagnostics;
using Quarry.Server.Connectors;
using Quarry.Server.Connectors.Files;

namespace Quarry.Tests.Connectors;

/// <summary>The connector contract against a real folder of CSV, Parquet and JSON-lines files, read through DuckDB.</summary>
public sealed class FilesConnectorTests : ConnectorContractTests
{
    private readonly FilesConnector _files = new();
    private readonly string _root = Directory.CreateTempSubdirectory("quarry-files-source-").FullName;

    protected override IConnector Connector => _files;
    protected override string SourceSchema => "sales";
    protected override string OtherSchema => "archive";
    protected override IReadOnlyList<string> ExpectedSchemas => ["archive", "sales"];

    // Two partitions (customer_names_2025-01/-02) are one container; _SUCCESS and notes.md are not data.
    protected override IReadOnlyList<string> ExpectedContainers => ["Order Items:file", "café:file", "customer_names:file", "customers:file"];
    protected override IReadOnlyList<string> ExpectedCustomerFields => ["1 id BIGINT NULL", "2 name VARCHAR NULL", "3 email VARCHAR NULL"];
    protected override IReadOnlyList<string> ExpectedCafeFields => ["crème", "brûlée"];

    // A Hive-style folder (old_orders/year=2024/…) is one container; DuckDB reads its partition key as a column.
    protected override IReadOnlyList<string> ExpectedOtherContainers => ["old_orders: id, total, year"];

    protected override async Task<ConnectionDetails> CreateSourceAsync() =>
        new(FilesConnector.TypeName, null, null, null, null, null, await FilesSource.CreateAsync(_root), new Dictionary<string, string>());

    protected override Task DropSourceAsync()
    {
        Directory.Delete(_root, true);
        return Task.CompletedTask;
    }

    protected override Task CreateContainerAsync(string name, string field) =>
        File.WriteAllTextAsync(Path.Combine(_root, "sales", name + ".jsonl"), System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { [field] = "x" }) + "\n");

    // DuckDB has no column limit short of memory: a CSV file of 10,000 columns, its header and types sniffed.
    protected override int WidestContainer => 10_000;

    protected override Task CreateWideContainerAsync(string name, int columns) =>
        File.WriteAllTextAsync(Path.Combine(_root, "sales", name + ".csv"),
            string.Join(",", Enumerable.Range(1, columns).Select(WideColumn)) + "\n" + string.Join(",", Enumerable.Range(1, columns)) + "\n");

    protected override Task<(ConnectionDetails Details, string Schema)> CreateEmptySchemaAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root, "empty"));
        return Task.FromResult((Details, "empty"));
    }

    protected override async Task<StalledSource> StallAsync()
    {
        // A named pipe that no one writes: opening it to read waits until a writer comes, which only the release does.
        var fifo = Path.Combine(Directory.CreateDirectory(Path.Combine(_root, "stalled")).FullName, "orders.csv");
        using (var mkfifo = Process.Start("mkfifo", [fifo])) await mkfifo.WaitForExitAsync();
        return new StalledSource(Details, null, "stalled", () => true, () =>
        {
            // Opening read-write never waits, and lets the stuck reader's open finish and then read the end of the pipe.
            using (new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite)) { }
            return ValueTask.CompletedTask;
        });
    }

    [Fact]
    public async Task ReadingAFolderNeverChangesLocksOrLeavesAFileInIt()
    {
        var before = FilesSource.Snapshot(_root);

        await _files.TestAsync(Details, null, default);
        await _files.ListSchemasAsync(Details, null, default);
        Assert.True((await _files.CheckSchemaAsync(Details, null, "sales", default)).Ok);
        await _files.ReadContainersAsync(Details, null, "sales", default);
        await _files.ReadContainersAsync(Details, null, "archive", default);

        Assert.Equal(before, FilesSource.Snapshot(_root));
        Assert.Empty(FilesSource.OpenHandles(_root));
    }

    [Fact]
    public async Task ADuckDbDatabaseFileIsReadReadOnlyWithItsSchemasTablesAndViews()
    {
        var file = Path.Combine(_root, "shop.duckdb");
        using (var db = new DuckDB.NET.Data.DuckDBConnection($"Data Source={file}"))
        {
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = """
                CREATE SCHEMA sales;
                CREATE TABLE sales.customers (id INTEGER NOT NULL, name VARCHAR);
                CREATE VIEW sales.customer_names AS SELECT name FROM sales.customers;
                """;
            command.ExecuteNonQuery();
        }
        var before = FilesSource.Snapshot(_root);
        var details = Details with { Path = file };

        Assert.Equal(["main", "sales"], await _files.ListSchemasAsync(details, null, default));
        var containers = await _files.ReadContainersAsync(details, null, "sales", default);

        Assert.Equal(["customer_names:view: name", "customers:table: id, name"],
            containers.Select(c => $"{c.Name}:{c.Type}: {string.Join(", ", c.Fields.Select(f => f.Name))}"));
        Assert.False(containers.Single(c => c.Name == "customers").Fields[0].Nullable);
        Assert.Equal(before, FilesSource.Snapshot(_root));
    }

    [Fact]
    public async Task FilesRefusesASchemaThatClimbsOutOfTheRootAndANameItCannotRead()
    {
        var climbing = await Assert.ThrowsAsync<ConnectorException>(() => _files.ReadContainersAsync(Details, null, "../", default));
        Assert.Equal(ConnectorFailure.SchemaMissing, climbing.Failure);

        await File.WriteAllTextAsync(Path.Combine(_root, "sales", "broken.parquet"), "not parquet");
        var broken = await Assert.ThrowsAsync<ConnectorException>(() => _files.ReadContainersAsync(Details, null, "sales", default));
        Assert.Contains("'sales/broken.parquet' could not be read as Parquet", broken.Message);

        var missing = await Assert.ThrowsAsync<ConnectorException>(() => _files.TestAsync(Details with { Path = Path.Combine(_root, "nope") }, null, default));
        Assert.Equal(ConnectorFailure.CatalogMissing, missing.Failure);
        Assert.False(Directory.Exists(Path.Combine(_root, "nope")));
    }

    [Fact]
    public async Task AReSyncReadsAgainEveryFileThatChangedAndNoLongerListsOneRemoved()
    {
        // Files last modified long ago: the ones a re-sync may answer from what it read before, unless they change.
        var folder = Directory.CreateDirectory(Path.Combine(_root, "settled")).FullName;
        var (csv, other) = (Path.Combine(folder, "orders.csv"), Path.Combine(folder, "other.csv"));
        var longAgo = DateTime.UtcNow.AddHours(-2);
        await File.WriteAllTextAsync(csv, "id,name\n1,Ada\n");
        await File.WriteAllTextAsync(other, "id\n1\n");
        File.SetLastWriteTimeUtc(csv, longAgo);
        File.SetLastWriteTimeUtc(other, longAgo);
        string Shape(IEnumerable<ContainerInfo> containers) =>
            string.Join("; ", containers.Select(c => $"{c.Name}: {string.Join(", ", c.Fields.Select(f => $"{f.Name} {f.DataType}"))}"));

        Assert.Equal("orders: id BIGINT, name VARCHAR; other: id BIGINT", Shape(await _files.ReadContainersAsync(Details, null, "settled", default)));
        Assert.Equal("orders: id BIGINT, name VARCHAR; other: id BIGINT", Shape(await _files.ReadContainersAsync(Details, null, "settled", default)));

        // Same size, another column and type, modified a minute later (still long ago); then a file modified just now.
        await File.WriteAllTextAsync(csv, "id,nick\n1,2.5\n");
        File.SetLastWriteTimeUtc(csv, longAgo.AddMinutes(1));
        Assert.Equal("orders: id BIGINT, nick DOUBLE; other: id BIGINT", Shape(await _files.ReadContainersAsync(Details, null, "settled", default)));
        await File.WriteAllTextAsync(other, "ix\n1\n");
        Assert.Equal("orders: id BIGINT, nick DOUBLE; other: ix BIGINT", Shape(await _files.ReadContainersAsync(Details, null, "settled", default)));

        File.Delete(other);
        Assert.Equal("orders: id BIGINT, nick DOUBLE", Shape(await _files.ReadContainersAsync(Details, null, "settled", default)));
    }

    [Fact]
    public async Task CsvFilesAreReadWithTheirOwnDelimiterQuotesAndEscapes()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "dialects")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "semicolons.csv"), "id;name;note\n1;Ada;\"a; b, c\"\n2;Grace;x\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "tabs.tsv"), "id\tname\n1\tAda\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "pipes.txt"), "id|amount\n1|9.5\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "quoted.csv"), "id,comment\n1,\"line one\nline two\"\n2,\"say \"\"hi\"\", twice\"\n");
        // Backslash escapes are not guessed from the first lines: DuckDB searches for this file's dialect itself.
        await File.WriteAllTextAsync(Path.Combine(folder, "escaped.csv"), "id,comment\n1,\"say \\\"hi\\\"\"\n");

        var containers = await _files.ReadContainersAsync(Details, null, "dialects", default);

        Assert.Equal(
            ["escaped: id BIGINT, comment VARCHAR", "pipes: id BIGINT, amount DOUBLE", "quoted: id BIGINT, comment VARCHAR",
             "semicolons: id BIGINT, name VARCHAR, note VARCHAR", "tabs: id BIGINT, name VARCHAR"],
            containers.Select(c => $"{c.Name}: {string.Join(", ", c.Fields.Select(f => $"{f.Name} {f.DataType}"))}"));
        Assert.Equal([';', '\t', '|', ',', null],
            new[] { "semicolons.csv", "tabs.tsv", "pipes.txt", "quoted.csv", "escaped.csv" }.Select(f => CsvDialect.DelimiterOf(Path.Combine(folder, f))));
    }

    [Theory]
    [InlineData("orders_2024-01.csv", "orders")]
    [InlineData("orders_2024-01-15.csv.gz", "orders")]
    [InlineData("part-0001.parquet", "part")]
    [InlineData("sales_eu.csv", "sales_eu")]
    [InlineData("2024_orders.csv", "2024_orders")]
    [InlineData("customers_v2.jsonl", "customers_v2")]
    public void AFilesContainerIsNamedByWhatComesBeforeItsPartitionPart(string file, string container) =>
        Assert.Equal(container, FileContainers.ContainerNameOf(file));
}
