using System.Text;

namespace Quarry.Cli.Config;

/// <summary>
/// Resolves <c>${VAR}</c> in string values: the process environment first, then the <c>.env</c> file
/// (the working directory's, or <c>--env-file</c>). <c>$${</c> writes a literal <c>${</c>. Every missing
/// variable is collected with where it is used, so one error can list them all.
/// </summary>
public sealed class ConfigVariables(Func<string, string?> environment, IReadOnlyDictionary<string, string> dotenv)
{
    private readonly Dictionary<string, List<string>> _missing = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, List<string>> Missing => _missing;

    /// <summary>How many uses of missing variables were seen so far (a value with one can't be type-checked).</summary>
    public int MissingUses { get; private set; }

    /// <summary>
    /// Reads a .env file's variables without touching the process environment. A line that isn't <c>NAME=value</c>
    /// becomes an error at <c>file:line:column</c> shown as <paramref name="display"/>; never with the parser's own
    /// message, which quotes the text it just read — often a password.
    /// </summary>
    public static Dictionary<string, string> ReadDotEnv(string? path, string display, List<ConfigError> errors)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (path is null || !File.Exists(path)) return values;
        try
        {
            foreach (var (key, value) in DotNetEnv.Env.Load(path, new DotNetEnv.LoadOptions(setEnvVars: false, clobberExistingVars: false)))
                values[key] = value;
        }
        catch (Sprache.ParseException e)
        {
            var at = e.Position;
            errors.Add(new ConfigError(display, at?.Line ?? 0, at?.Column ?? 0,
                "is not a valid .env line. Write one NAME=value per line; quote a value holding spaces or # with '…' or \"…\", "
                + "and close every quote (the value is not shown here, as it may be a secret)."));
        }
        return values;
    }

    /// <summary>The value with its variables substituted; <paramref name="where"/> gives the file:line:column of an offset.</summary>
    public string Resolve(string text, Func<int, string> where, List<ConfigError> errors, Func<int, ConfigError> errorAt)
    {
        if (!text.Contains('$')) return text;
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$' || i + 1 >= text.Length) { result.Append(text[i]); continue; }
            if (text[i + 1] == '$' && i + 2 < text.Length && text[i + 2] == '{')
            {
                result.Append("${");
                i += 2;
                continue;
            }
            if (text[i + 1] != '{') { result.Append('$'); continue; }
            var end = text.IndexOf('}', i + 2);
            var name = end < 0 ? "" : text[(i + 2)..end];
            if (end < 0 || !IsName(name))
            {
                errors.Add(errorAt(i) with { Message = "'${' starts a variable but no valid ${NAME} follows (letters, digits, _). Write $${ for a literal ${." });
                return text;
            }
            // An empty value counts as missing: a CI secret that isn't configured arrives as "", and a blank host or
            // password would otherwise surface later as a vaguer error that doesn't name the variable.
            var value = NonEmpty(environment(name)) ?? NonEmpty(dotenv.GetValueOrDefault(name));
            if (value is null)
            {
                if (!_missing.TryGetValue(name, out var uses)) _missing[name] = uses = [];
                uses.Add(where(i));
                MissingUses++;
            }
            else result.Append(value);
            i = end;
        }
        return result.ToString();
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool IsName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}

/// <summary>A problem in a config file, at <c>file:line:column</c>.</summary>
public sealed record ConfigError(string File, int Line, int Column, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}
