using Quarry.Cli.Commands;

namespace Quarry.Cli;

/// <summary>The <c>quarry</c> command tree.</summary>
public static class QuarryCli
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Quarry: onboard data sources as code, sync them, and keep them behind tokens, roles and teams.");
        root.Subcommands.Add(new ServeCommand(context));
        root.Subcommands.Add(DbCommands.Create(context));
        root.Subcommands.Add(AuthCommands.Create(context));
        root.Subcommands.Add(ConnectionsCommands.Create(context));
        root.Subcommands.Add(DatastoresCommands.Create(context));
        root.Subcommands.Add(OperationsCommands.Create(context));
        root.Subcommands.Add(ContainersCommands.Create(context));
        root.Subcommands.Add(QualityCheckCommands.Create(context));
        root.Subcommands.Add(AnomaliesCommands.Create(context));
        root.Subcommands.Add(ConfigCommands.Create(context));
        root.Subcommands.Add(UsersCommands.Create(context));
        root.Subcommands.Add(TeamsCommands.Create(context));
        root.Subcommands.Add(TokensCommands.Create(context));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken ct = default)
    {
        var root = Build(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is System.CommandLine.Invocation.ParseErrorAction)
        {
            foreach (var error in ParseErrors.Describe(parse)) context.Stderr.WriteLine($"error: {error}");
            context.Stderr.WriteLine($"Run '{ParseErrors.CommandPath(parse.CommandResult)} --help' to see the usage.");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = context.Stdout, Error = context.Stderr }, ct);
    }
}
