namespace Quarry.Cli;

/// <summary>
/// Everything a command touches outside itself: standard output and error, environment, home folder,
/// working directory and HTTP. Tests give their own, so they run the real command tree without
/// changing the process.
/// </summary>
public sealed class CliContext
{
    public required TextWriter Stdout { get; init; }
    public required TextWriter Stderr { get; init; }
    public required Func<string, string?> GetEnvironment { get; init; }
    public required string HomeDirectory { get; init; }
    public required string WorkingDirectory { get; init; }
    public bool IsTerminal { get; init; }
    /// <summary>Where <c>--password-stdin</c> reads from and confirmations are answered.</summary>
    public TextReader Stdin { get; init; } = TextReader.Null;
    /// <summary>A person can answer a question: stdin and stderr are a terminal. Without one, a delete needs <c>--yes</c>.</summary>
    public bool CanPrompt { get; init; }
    /// <summary>Used for every request to a server; null means a plain <see cref="HttpClientHandler"/>.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    private IAnsiConsole? _out;
    private IAnsiConsole? _err;

    /// <summary>Human output: tables and messages. Never used when <c>--format json</c> owns stdout.</summary>
    public IAnsiConsole Out => _out ??= Create(Stdout);

    /// <summary>Progress, warnings and errors.</summary>
    public IAnsiConsole Err => _err ??= Create(Stderr);

    private IAnsiConsole Create(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Piped output is read by scripts and logs: don't wrap it at a made-up terminal width (a file:line error
        // broken in two no longer greps). Tables are only as wide as their content, so a wide profile costs nothing.
        if (!IsTerminal) console.Profile.Width = 32_767;
        return console;
    }

    public static CliContext ForProcess() => new()
    {
        Stdout = Console.Out,
        Stderr = Console.Error,
        GetEnvironment = Environment.GetEnvironmentVariable,
        HomeDirectory = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        WorkingDirectory = Directory.GetCurrentDirectory(),
        IsTerminal = !Console.IsOutputRedirected,
        Stdin = Console.In,
        CanPrompt = !Console.IsInputRedirected && !Console.IsErrorRedirected,
    };
}
