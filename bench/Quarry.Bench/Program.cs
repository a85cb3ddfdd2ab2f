using Quarry.Bench;

// Quarry's benchmarks: each starts its own in-process server on a throwaway store and prints a Markdown table.
// Usage: dotnet run -c Release --project bench/Quarry.Bench -- [datastores] [--store sqlite|postgresql|both] [--count N] [--clients N]
var options = BenchOptions.Parse(args);
if (options is null) return 2;
foreach (var store in options.Stores)
{
    await using var target = await BenchServer.StartAsync(store);
    await DatastoresBench.RunAsync(target, options);
}
return 0;
