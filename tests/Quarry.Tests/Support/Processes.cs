using System.Diagnostics;

namespace Quarry.Tests.Support;

/// <summary>Runs real programs (the installed CLI, dotnet, scripts) as their own processes, and finds the repository.</summary>
public static class Processes
{
    public static async Task<CliResult> RunAsync(string program, string[] args, string workingDirectory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public static string RepoRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Quarry.slnx"))) root = root.Parent;
        return root?.FullName ?? throw new InvalidOperationException("The tests run outside the Quarry repository.");
    }
}

/// <summary>
/// Tests that build the CLI in Release (install-cli.sh, dotnet pack) share obj/Release, so they run one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReleaseBuilds
{
    public const string Name = "Release builds of the CLI";
}
