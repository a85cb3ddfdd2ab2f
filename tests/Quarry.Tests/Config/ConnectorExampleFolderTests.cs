using static Quarry.Tests.Config.ExampleFolders;

namespace Quarry.Tests.Config;

/// <summary>examples/mysql-config and examples/files-config, imported and synced against a real MariaDB and a real folder.</summary>
public sealed class ConnectorExampleFolderTests
{
    [Fact]
    public async Task TheMySqlExampleImportsAndSyncsARealMariaDbDatabase()
    {
        var (user, password) = await TestMariaDb.CreateUserAsync();
        // The example's datastore reads the MySQL database 'orders'.
        await TestMariaDb.ExecuteAsync($"""
            CREATE DATABASE orders CHARACTER SET utf8mb4;
            CREATE TABLE orders.orders (id int PRIMARY KEY, customer_email varchar(200), amount decimal(10,2));
            CREATE TABLE orders.customers (id int PRIMARY KEY, name varchar(100));
            GRANT SELECT, SHOW VIEW ON orders.* TO '{user}'@'127.0.0.1';
            """);
        try
        {
            await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
            using var cli = new CliRunner(server);
            FillEnvironment(cli, "mysql-config", new()
            {
                ["SHOP_MYSQL_HOST"] = TestMariaDb.Builder.Server,
                ["SHOP_MYSQL_PORT"] = TestMariaDb.Builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SHOP_MYSQL_USER"] = user,
                ["SHOP_MYSQL_PASSWORD"] = password,
                ["SHOP_MYSQL_SSLMODE"] = "none", // the test server has no TLS
            });

            var synced = await ImportAndSyncAsync(server, cli, "mysql-config", "shop-orders");

            Assert.Equal(["customers", "orders"], synced.Select(c => c.Name));
            Assert.Equal(3, synced.Single(c => c.Name == "orders").FieldCount);
        }
        finally
        {
            await TestMariaDb.DropDatabaseAsync("orders", user);
        }
    }

    [Fact]
    public async Task TheFilesExampleImportsAndSyncsARealFolder()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        using var cli = new CliRunner(server);
        var sales = Directory.CreateDirectory(Path.Combine(cli.WorkingDirectory, "lake", "sales")).FullName;
        // As the example says: two monthly files of one container 'orders', and a Parquet file of its own.
        File.WriteAllText(Path.Combine(sales, "orders_2024-01.csv"), "id,email,amount\n1,a@example.com,10.5\n");
        File.WriteAllText(Path.Combine(sales, "orders_2024-02.csv"), "id,email,amount\n2,b@example.com,20\n");
        FilesSource.WriteParquet(Path.Combine(sales, "customers.parquet"), "SELECT 1 AS id, 'Ada' AS name");
        FillEnvironment(cli, "files-config", new() { ["LAKE_FOLDER"] = Path.GetDirectoryName(sales)! });

        var synced = await ImportAndSyncAsync(server, cli, "files-config", "lake-sales");

        Assert.Equal(["customers", "orders"], synced.Select(c => c.Name));
        Assert.Equal(3, synced.Single(c => c.Name == "orders").FieldCount);
    }
}
