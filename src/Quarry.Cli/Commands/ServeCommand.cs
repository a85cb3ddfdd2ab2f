using Microsoft.Extensions.Hosting;
using Quarry.Server;

namespace Quarry.Cli.Commands;

/// <summary><c>quarry serve</c>: runs the server until Ctrl-C.</summary>
internal sealed class ServeCommand : Command
{
    private static readonly Option<string> HostOption = new("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
    private static readonly Option<int> PortOption = new("--port") { Description = "Port to listen on.", DefaultValueFactory = _ => 8080 };
    private static readonly Option<string> DataOption = new("--data") { Description = "Data folder: the SQLite store and the secret key.", DefaultValueFactory = _ => "./quarry-data" };
    private static readonly Option<string?> DatabaseOption = new("--database") { Description = "PostgreSQL connection string for the store (also QUARRY_DATABASE). Without it: SQLite in the data folder." };
    private static readonly Option<int> WorkersOption = new("--workers") { Description = "Operations this instance runs at once.", DefaultValueFactory = _ => 4 };
    private static readonly Option<bool> NoMigrateOption = new("--no-migrate") { Description = "Do not apply store migrations; refuse to start if the store is behind ('quarry db migrate' applies them)." };

    public ServeCommand(CliContext context) : base("serve", "Run the Quarry server (API, operation workers, web UI).")
    {
        Options.Add(HostOption);
        Options.Add(PortOption);
        Options.Add(DataOption);
        Options.Add(DatabaseOption);
        Options.Add(WorkersOption);
        Options.Add(NoMigrateOption);
        SetAction((parse, ct) => RunAsync(context, parse, ct));
    }

    private static async Task<int> RunAsync(CliContext context, ParseResult parse, CancellationToken ct)
    {
        var options = new ServerOptions
        {
            Host = parse.GetValue(HostOption)!,
            Port = parse.GetValue(PortOption),
            DataDirectory = parse.GetValue(DataOption)!,
            Database = parse.GetValue(DatabaseOption) ?? context.GetEnvironment("QUARRY_DATABASE"),
            AdminToken = context.GetEnvironment("QUARRY_ADMIN_TOKEN"),
            SecretKey = context.GetEnvironment("QUARRY_SECRET_KEY"),
            Workers = parse.GetValue(WorkersOption),
            Migrate = !parse.GetValue(NoMigrateOption),
            AnnounceAdminToken = token =>
            {
                context.Out.MarkupLine("[green]Created the first admin user 'admin'.[/] Its token, shown only this once:");
                context.Out.WriteLine();
                context.Out.WriteLine("    " + token);
                context.Out.WriteLine();
                var port = parse.GetValue(PortOption);
                var url = port == 0 ? "URL" : $"http://{parse.GetValue(HostOption)}:{port}";
                context.Out.MarkupLine($"Keep it safe, then in another terminal run: [bold]quarry auth init --url {url.EscapeMarkup()} --token <the token above>[/]");
            },
        };
        if (options.Workers < 1) return Fail(context, "--workers must be 1 or more.", ExitCodes.Usage);
        if (StoreOptionCheck.Problem(options) is { } problem) return StoreOptionCheck.Fail(context, problem, ExitCodes.Usage);
        // Before the store exists or a first admin token is printed: a token shown for a server that never starts is lost.
        if (PortCheck.Problem(options.Host, options.Port) is { } taken) return Fail(context, taken);

        Microsoft.AspNetCore.Builder.WebApplication app;
        try
        {
            app = await QuarryServer.StartAsync(options, ct: ct);
        }
        catch (Exception e) when (StoreOptionCheck.IsStoreFailure(e))
        {
            return Fail(context, e.Message);
        }
        var store = options.StoreKind == Server.Store.StoreKind.Sqlite ? $"SQLite in {Path.GetFullPath(options.DataDirectory)}" : "PostgreSQL";
        context.Out.MarkupLine($"Quarry {QuarryServer.Version.EscapeMarkup()} listening on [bold]{string.Join(", ", app.Urls).EscapeMarkup()}[/] (store: {store.EscapeMarkup()}). Press Ctrl-C to stop.");
        try
        {
            await app.WaitForShutdownAsync(ct);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
        return ExitCodes.Success;
    }

    private static int Fail(CliContext context, string message, int code = ExitCodes.Failure) => StoreOptionCheck.Fail(context, message, code);
}
