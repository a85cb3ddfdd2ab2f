using System.CommandLine.Parsing;
using Quarry.Cli.Config;

namespace Quarry.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into what a user can act on: the nearest command or option for a typo,
/// the allowed values of an enum option instead of its .NET type name, and one line per mistake rather than one per
/// token that follows it.
/// </summary>
internal static class ParseErrors
{
    public static IEnumerable<string> Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var path = CommandPath(parse.CommandResult);
        var unrecognized = parse.UnmatchedTokens.FirstOrDefault();
        if (unrecognized is not null)
        {
            yield return Unrecognized(command, path, unrecognized);
            yield break;
        }
        foreach (var error in parse.Errors)
        {
            if (Typed(error) is { } typed) yield return typed;
            else if (command.Subcommands.Count > 0 && error.Message.StartsWith("Required command", StringComparison.Ordinal))
                yield return $"'{path}' needs a command: {string.Join(", ", Visible(command.Subcommands))}.";
            else yield return error.Message;
        }
    }

    private static string Unrecognized(Command command, string path, string token)
    {
        if (token.StartsWith('-'))
        {
            var options = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)).Distinct().ToList();
            return $"'{path}' has no option '{token}'{Nearest(token, options, "options")}";
        }
        // A word where ids belong ('checks activate abc') is left over because it does not read as a number: say so.
        if (command.Subcommands.Count == 0 && command.Arguments.FirstOrDefault(a => a.ValueType == typeof(int) || a.ValueType == typeof(int[])) is { } ids
            && !int.TryParse(token, out _))
            return $"'{path}': '{token}' is not a valid {ids.Name}; give a whole number, e.g. '{path} 42' (see '{path} --help').";
        if (command.Subcommands.Count == 0)
            return $"'{path}' takes no argument '{token}' here (quote a value that contains spaces; see '{path} --help').";
        return $"'{path}' has no command '{token}'{Nearest(token, Visible(command.Subcommands), "commands")}";
    }

    private static string Nearest(string token, IReadOnlyCollection<string> known, string what)
    {
        if (known.Count == 0) return ".";
        var best = known.Select(k => (Name: k, Distance: NearestName.Distance(token.ToLowerInvariant(), k))).OrderBy(k => k.Distance).First();
        return best.Distance <= Math.Max(2, token.Length / 3)
            ? $"; did you mean '{best.Name}'?"
            : $"; its {what}: {string.Join(", ", known)}.";
    }

    /// <summary>A value of the wrong type: name the allowed values of an enum, or say what a number looks like.</summary>
    private static string? Typed(ParseError error)
    {
        if (error.SymbolResult is not (OptionResult or ArgumentResult)) return null;
        var (name, type, tokens) = error.SymbolResult switch
        {
            OptionResult o => (o.Option.Name, o.Option.ValueType, o.Tokens),
            ArgumentResult a => ($"<{a.Argument.Name}>", a.Argument.ValueType, a.Tokens),
            _ => throw new InvalidOperationException(),
        };
        if (!error.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal)) return null;
        var value = tokens.Count > 0 ? tokens[^1].Value : "";
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray) type = type.GetElementType()!;
        if (type.IsEnum) return $"{name}: '{value}' is not allowed; use one of {string.Join(", ", Enum.GetNames(type))}.";
        if (type == typeof(int)) return $"{name}: '{value}' is not a whole number.";
        return null;
    }

    private static List<string> Visible(IEnumerable<Command> commands) => commands.Where(c => !c.Hidden).Select(c => c.Name).ToList();

    public static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? at = result; at is CommandResult c; at = c.Parent) names.Insert(0, c.Command.Name);
        names[0] = "quarry";
        return string.Join(' ', names);
    }
}
