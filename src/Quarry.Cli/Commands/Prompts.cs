namespace Quarry.Cli.Commands;

/// <summary>A usage problem found after parsing (a missing password, a refused delete): exit 2, nothing sent.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// Secrets and confirmations. A password never comes from an argument: arguments end up in shell history and in
/// <c>ps</c> for every user on the machine. A delete asks first on a terminal; without one it needs <c>--yes</c>.
/// </summary>
internal static class Prompts
{
    public static Option<bool> PasswordStdinOption() => new("--password-stdin")
    {
        Description = "Read the password from stdin (e.g. printf '%s' \"$PW\" | quarry …); it is never taken as an argument.",
    };

    public static Option<string?> PasswordEnvOption() => new("--password-env")
    {
        Description = "Read the password from this environment variable, e.g. --password-env WAREHOUSE_PASSWORD.",
    };

    public static Option<bool> YesOption() => new("--yes", "-y") { Description = "Don't ask before deleting (needed without a terminal)." };

    /// <summary>The password the options point at, or null when neither was given.</summary>
    public static string? ReadPassword(CliContext context, ParseResult parse, Option<bool> stdin, Option<string?> env)
    {
        var variable = parse.GetValue(env);
        if (parse.GetValue(stdin) && variable is not null) throw new UsageException("give either --password-stdin or --password-env, not both.");
        if (parse.GetValue(stdin))
        {
            // One line, as `printf` or `echo` sends it; a trailing newline is not part of the password.
            var line = context.Stdin.ReadLine();
            if (string.IsNullOrEmpty(line)) throw new UsageException("--password-stdin: stdin was empty; pipe the password in, e.g. printf '%s' \"$PW\" | quarry …");
            return line;
        }
        if (variable is null) return null;
        return context.GetEnvironment(variable) is { Length: > 0 } value
            ? value
            : throw new UsageException($"--password-env {variable}: the variable is not set (or empty) in this shell; export it first.");
    }

    /// <summary>True when the user said yes (or passed --yes); throws without a terminal to ask on.</summary>
    public static bool Confirm(CliContext context, bool yes, string question)
    {
        if (yes) return true;
        if (!context.CanPrompt) throw new UsageException($"{question.TrimEnd('?')}: refusing without a terminal to confirm on; pass --yes to delete anyway.");
        context.Err.Markup($"{question.EscapeMarkup()} [[y/N]] ");
        var answer = context.Stdin.ReadLine()?.Trim();
        if (answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase))) return true;
        context.Err.WriteLine("Nothing was deleted.");
        return false;
    }
}
