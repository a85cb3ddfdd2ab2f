using Quarry.Cli.Commands;

namespace Quarry.Cli;

/// <summary>The <c>quarry</c> command tree.</summary>
public static class QuarryCli
{
    public static RootCommand Build(CliContext context)
    {
        return new RootCommand("Quarry: onboard data sources as code, sync them, and keep them behind tokens, roles and teams.")
        {
            new ServeCommand(context),
            DbCommands.Create(context),
            AuthCommands.Create(context),
            ConnectionsCommands.Create(context),
            DatastoresCommands.Create(context),
            OperationsCommands.Create(context),
            ContainersCommands.Create(context),
            QualityCheckCommands.Create(context),
            AnomaliesCommands.Create(context),
            ConfigCommands.Create(context),
            UsersCommands.Create(context),
            TeamsCommands.Create(context),
            TokensCommands.Create(context),
        };
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
