namespace Quarry.Tests.Support;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;
}

/// <summary>Runs the real <c>quarry</c> command tree in-process with its own environment, home and working folder.</summary>
public sealed class CliRunner : IDisposable
{
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);

    public CliRunner(QuarryTestServer? server = null, string? token = null)
    {
        Home = Directory.CreateTempSubdirectory("quarry-home-").FullName;
        WorkingDirectory = Directory.CreateTempSubdirectory("quarry-cwd-").FullName;
        if (server is not null)
        {
            _environment["QUARRY_URL"] = server.Url;
            _environment["QUARRY_TOKEN"] = token ?? server.AdminToken;
        }
    }

    public string Home { get; }
    public string WorkingDirectory { get; }

    /// <summary>What the command reads on stdin (--password-stdin, answers to a confirmation).</summary>
    public string Input { get; set; } = "";

    /// <summary>Whether the command may ask a question, as on a terminal.</summary>
    public bool CanPrompt { get; set; }

    public CliRunner Set(string name, string? value)
    {
        _environment[name] = value;
        return this;
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    /// <summary>Runs until the command ends or <paramref name="ct"/> is cancelled, as Ctrl-C does.</summary>
    public async Task<CliResult> RunAsync(CancellationToken ct, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = new CliContext
        {
            Stdout = stdout,
            Stderr = stderr,
            GetEnvironment = name => _environment.GetValueOrDefault(name),
            HomeDirectory = Home,
            WorkingDirectory = WorkingDirectory,
            Stdin = new StringReader(Input),
            CanPrompt = CanPrompt,
        };
        var code = await QuarryCli.RunAsync(args, context, ct);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        try { Directory.Delete(Home, true); } catch (IOException) { }
        try { Directory.Delete(WorkingDirectory, true); } catch (IOException) { }
    }
}
