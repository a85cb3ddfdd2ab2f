using Microsoft.Extensions.Logging.Abstractions;
using Quarry.Server;
using Quarry.Server.Store;

namespace Quarry.Cli.Commands;

/// <summary><c>quarry db migrate|status</c>: see and apply the store's schema migrations.</summary>
internal static class DbCommands
{
    private static readonly Option<string> DataOption = new("--data") { Description = "Data folder of the SQLite store.", DefaultValueFactory = _ => "./quarry-data" };
    private static readonly Option<string?> DatabaseOption = new("--database") { Description = "PostgreSQL connection string (also QUARRY_DATABASE)." };

    public static Command Create(CliContext context)
    {
        var db = new Command("db", "Inspect and migrate the Quarry store.");
        var status = new Command("status", "List applied and pending store migrations.") { DataOption, DatabaseOption };
        status.SetAction((parse, ct) => StatusAsync(context, parse, ct));
        var migrate = new Command("migrate", "Apply pending store migrations.") { DataOption, DatabaseOption };
        migrate.SetAction((parse, ct) => MigrateAsync(context, parse, ct));
        db.Subcommands.Add(status);
        db.Subcommands.Add(migrate);
        return db;
    }

    private static ServerOptions Options(CliContext context, ParseResult parse)
    {
        var options = new ServerOptions
        {
            DataDirectory = parse.GetValue(DataOption)!,
            Database = parse.GetValue(DatabaseOption) ?? context.GetEnvironment("QUARRY_DATABASE"),
        };
        return options;
    }

    /// <summary>Runs a store command, turning a bad <c>--database</c> or an unreachable store into a message and an exit code.</summary>
    private static async Task<int> WithStoreAsync(CliContext context, ParseResult parse, Func<ServerOptions, Task<int>> action)
    {
        var options = Options(context, parse);
        if (StoreOptionCheck.Problem(options) is { } problem) return StoreOptionCheck.Fail(context, problem, ExitCodes.Usage);
        try
        {
            return await action(options);
        }
        catch (Exception e) when (StoreOptionCheck.IsStoreFailure(e))
        {
            return StoreOptionCheck.Fail(context, $"the store could not be opened: {e.Message}");
        }
    }

    private static Task<int> StatusAsync(CliContext context, ParseResult parse, CancellationToken ct) => WithStoreAsync(context, parse, async options =>
    {
        // Looking must not create: a status run in the wrong folder would otherwise make an empty store and call it behind.
        var file = Path.Combine(Path.GetFullPath(options.DataDirectory), "quarry.db");
        if (options.StoreKind == StoreKind.Sqlite && !File.Exists(file))
            return StoreOptionCheck.Fail(context, $"there is no Quarry store at {file}. Pass --data with the folder 'quarry serve' uses, or create one with 'quarry db migrate'.", ExitCodes.Usage);
        var applied = await new StoreMigrator(options.StoreKind, options.StoreConnectionString, NullLogger.Instance).AppliedAsync(ct);
        var table = CommandSupport.Table("Version", "Name", "State");
        foreach (var migration in StoreMigrator.All(options.StoreKind))
            table.AddRow(migration.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), migration.Name.EscapeMarkup(), applied.Contains(migration.Version) ? "applied" : "pending");
        context.Out.Write(table);
        return ExitCodes.Success;
    });

    private static Task<int> MigrateAsync(CliContext context, ParseResult parse, CancellationToken ct) => WithStoreAsync(context, parse, async options =>
    {
        if (options.StoreKind == StoreKind.Sqlite) DataFolder.CreateStoreFile(DataFolder.Prepare(options.DataDirectory));
        var done = await new StoreMigrator(options.StoreKind, options.StoreConnectionString, NullLogger.Instance).MigrateAsync(ct);
        foreach (var migration in done) context.Out.MarkupLine($"Applied {migration.Name.EscapeMarkup()}");
        context.Out.MarkupLine(done.Count == 0 ? "The store is up to date." : $"Applied {done.Count} migration(s).");
        return ExitCodes.Success;
    });
}
