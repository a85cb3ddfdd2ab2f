namespace Quarry.Cli.Commands;

public enum OutputFormat
{
    Table,
    Json,
}

/// <summary>What every client command shares: the output format option and turning failures into exit codes.</summary>
internal static class CommandSupport
{
    /// <summary>
    /// A required enum option that takes a name only, in any case: System.CommandLine alone would also take any number
    /// (<c>--role 99</c>), which names no role.
    /// </summary>
    public static Option<T> NamedOption<T>(string name, string description) where T : struct, Enum => new(name)
    {
        Description = description,
        Required = true,
        CustomParser = result =>
        {
            var value = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase)) is { } known) return Enum.Parse<T>(known);
            result.AddError($"{name}: '{value}' is not allowed; use one of {string.Join(", ", Enum.GetNames<T>())}.");
            return default;
        },
    };

    public static Option<OutputFormat> FormatOption() => new("--format")
    {
        Description = "Output format: table for people, json for scripts (only JSON on stdout).",
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    /// <summary>Runs a command's work, mapping API and configuration failures to messages on stderr and exit codes.</summary>
    public static void SetClientAction(this Command command, CliContext context, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                return await action(parse, ct);
            }
            catch (NotConfiguredException e)
            {
                context.Err.MarkupLine($"[red]error:[/] {e.Message.EscapeMarkup()}");
                return ExitCodes.Usage;
            }
            catch (UsageException e)
            {
                context.Err.MarkupLine($"[red]error:[/] {e.Message.EscapeMarkup()}");
                return ExitCodes.Usage;
            }
            catch (ApiException e)
            {
                context.Err.MarkupLine($"[red]error:[/] {Describe(e).EscapeMarkup()}");
                return ExitCode(e);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                context.Err.MarkupLine("[yellow]cancelled[/]");
                return ExitCodes.Cancelled;
            }
        });

    /// <summary>
    /// Runs a command that asks the server one thing and shows the answer: as JSON with <c>--format json</c>, else as
    /// <paramref name="show"/> writes it for people.
    /// </summary>
    public static void SetOutputAction<T>(this Command command, CliContext context, Option<OutputFormat> format,
        Func<ParseResult, QuarryClient, CancellationToken, Task<T>> request, Action<ParseResult, T> show) where T : notnull =>
        command.SetClientAction(context, async (parse, ct) =>
        {
            using var client = QuarryClient.FromSettings(context);
            var answer = await request(parse, client, ct);
            if (parse.GetValue(format) == OutputFormat.Json) WriteJson(context, answer);
            else show(parse, answer);
            return ExitCodes.Success;
        });

    /// <summary>A <c>list</c> command with no filters: every page of <paramref name="path"/>, shown by <paramref name="render"/>.</summary>
    public static Command ListCommand<T>(CliContext context, string description, string path, Action<IReadOnlyList<T>> render)
    {
        var format = FormatOption();
        var command = new Command("list", description) { format };
        command.SetOutputAction(context, format, (_, client, ct) => client.GetAllAsync<T>(path, ct), (_, items) => render(items));
        return command;
    }

    /// <summary>Scripts tell "fix the token" and "is the server up?" apart from a failed item by the exit code.</summary>
    public static int ExitCode(ApiException e) => e.Status switch
    {
        0 => ExitCodes.Unreachable,
        System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden => ExitCodes.AuthFailed,
        _ => ExitCodes.Failure,
    };

    public static string Describe(ApiException e)
    {
        var status = e.Status == 0 ? "" : $" ({(int)e.Status})";
        var errors = e.Errors is { Count: > 0 }
            ? " " + string.Join(" ", e.Errors.SelectMany(p => p.Value.Select(m => $"{p.Key}: {m}")))
            : "";
        var detail = e.Detail.Length > 0 && e.Errors is not { Count: > 0 } ? e.Detail : errors.Trim();
        return $"{e.Title}{status}: {detail}";
    }

    public static void WriteJson(CliContext context, object value) =>
        context.Stdout.WriteLine(System.Text.Json.JsonSerializer.Serialize(value, value.GetType(), Indented));

    // Output is read by people and jq, not embedded in HTML: write O'Brien and <none> as they are, not as \u0027 and \u003C.
    private static readonly System.Text.Json.JsonSerializerOptions Indented = new(QuarryClient.Json)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A plain table (no colours or borders that break when piped).</summary>
    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns) table.AddColumn(new TableColumn(column.EscapeMarkup()));
        return table;
    }

    public static string Cell(object? value) => (value?.ToString() ?? "").EscapeMarkup();
}
