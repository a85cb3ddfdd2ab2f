using Quarry.Cli;

return await QuarryCli.RunAsync(args, CliContext.ForProcess());
