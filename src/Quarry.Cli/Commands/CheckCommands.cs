using System.CommandLine;
using Quarry.Cli.Client;
using Quarry.Server.Connectors;
using Spectre.Console;

namespace Quarry.Cli.Commands;

/// <summary><c>quarry connections test &lt;id&gt;</c> and <c>quarry datastores verify &lt;id&gt;</c>: exit 1 when the database can't be reached or read.</summary>
internal static class CheckCommands
{
    public static Command TestConnection(CliContext context) =>
        Check(context, "test", "Connect to a saved connection's database and report whether it worked.", "The connection's id.",
            id => $"/api/connections/{id}/test");

    public static Command VerifyDatastore(CliContext context) =>
        Check(context, "verify", "Connect to a datastore's database and check that its schema exists and can be read.", "The datastore's id.",
            id => $"/api/datastores/{id}/connection");

    private static Command Check(CliContext context, string name, string description, string idDescription, Func<int, string> path)
    {
        var format = CommandSupport.FormatOption();
        var id = new Argument<int>("id") { Description = idDescription };
        var command = new Command(name, description) { id, format };
        command.SetClientAction(context, async (parse, ct) =>
        {
            using var client = QuarryClient.FromSettings(context);
            var result = await client.PostAsync<ConnectionCheckResult>(path(parse.GetValue(id)), new { }, ct);
            if (parse.GetValue(format) == OutputFormat.Json) CommandSupport.WriteJson(context, result);
            else if (result.Success) context.Out.MarkupLine($"[green]ok[/] {result.Message.EscapeMarkup()}");
            else context.Err.MarkupLine($"[red]failed[/] {result.Message.EscapeMarkup()}");
            return result.Success ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
