namespace Quarry.Cli.Commands;

/// <summary><c>quarry connections test &lt;name|id&gt;</c> and <c>quarry datastores verify &lt;name|id&gt;</c>: exit 1 when the database can't be reached or read.</summary>
internal static class CheckCommands
{
    public static Command TestConnection(CliContext context) =>
        Check(context, "test", "Connect to a saved connection's database and report whether it worked.", "The connection's name or id.",
            async (client, connection, ct) => $"/api/connections/{(await DiscoveryCommands.ResolveConnectionAsync(client, connection, ct)).Id}/test");

    public static Command VerifyDatastore(CliContext context) =>
        Check(context, "verify", "Connect to a datastore's database and check that its schema exists and can be read.", "The datastore's name or id.",
            async (client, datastore, ct) => $"/api/datastores/{await DiscoveryCommands.ResolveDatastoreIdAsync(client, datastore, ct)}/connection");

    private static Command Check(CliContext context, string name, string description, string argumentDescription, Func<QuarryClient, string, CancellationToken, Task<string>> path)
    {
        var format = CommandSupport.FormatOption();
        var target = new Argument<string>(name == "test" ? "connection" : "datastore") { Description = argumentDescription };
        var command = new Command(name, description) { target, format };
        command.SetClientAction(context, async (parse, ct) =>
        {
            using var client = QuarryClient.FromSettings(context);
            var result = await client.PostAsync<ConnectionCheckResult>(await path(client, parse.GetValue(target)!, ct), new { }, ct);
            if (parse.GetValue(format) == OutputFormat.Json) CommandSupport.WriteJson(context, result);
            else if (result.Success) context.Out.MarkupLine($"[green]ok[/] {result.Message.EscapeMarkup()}");
            else context.Err.MarkupLine($"[red]failed[/] {result.Message.EscapeMarkup()}");
            return result.Success ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
