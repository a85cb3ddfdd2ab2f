namespace Quarry.Bench;

public sealed record BenchOptions(IReadOnlyList<StoreKind> Stores, int Count, int Clients)
{
    /// <summary>An admin connection string for a PostgreSQL the bench may create and drop databases in.</summary>
    public const string PostgresVariable = "QUARRY_BENCH_POSTGRES";

    public static BenchOptions? Parse(string[] args)
    {
        var stores = new List<StoreKind> { StoreKind.Sqlite, StoreKind.PostgreSql };
        int count = 10_000, clients = 8;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "datastores":
                    break;
                case "--store" when i + 1 < args.Length:
                    stores = args[++i] switch
                    {
                        "sqlite" => [StoreKind.Sqlite],
                        "postgresql" => [StoreKind.PostgreSql],
                        "both" => [StoreKind.Sqlite, StoreKind.PostgreSql],
                        var other => throw new ArgumentException($"--store must be sqlite, postgresql or both, not '{other}'."),
                    };
                    break;
                case "--count" when i + 1 < args.Length:
                    count = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--clients" when i + 1 < args.Length:
                    clients = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: [datastores] [--store sqlite|postgresql|both] [--count N] [--clients N]");
                    return null;
            }
        }
        if (stores.Contains(StoreKind.PostgreSql) && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresVariable)))
        {
            Console.Error.WriteLine($"{PostgresVariable} is not set: PostgreSQL is skipped (bench/run.sh starts a throwaway one).");
            stores.Remove(StoreKind.PostgreSql);
        }
        return new BenchOptions(stores, count, clients);
    }
}
