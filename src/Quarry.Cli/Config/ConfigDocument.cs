namespace Quarry.Cli.Config;

/// <summary>A value read from a config file, variables resolved, with where it was written.</summary>
public sealed record ConfigValue(object? Value, int Line, int Column);

/// <summary>One validated config file: its keys (canonical spelling) and their values with marks.</summary>
public sealed class ConfigDocument(ConfigFileKind kind, string file, int line, int column)
{
    public ConfigFileKind Kind { get; } = kind;
    /// <summary>The file's path as shown in messages (relative to the working directory when inside it).</summary>
    public string File { get; } = file;
    public int Line { get; } = line;
    public int Column { get; } = column;
    public Dictionary<string, ConfigValue> Values { get; } = new(StringComparer.Ordinal);

    public string? Name => String("name")?.Trim();

    public string? String(string key) => Values.GetValueOrDefault(key)?.Value as string;

    public int? Integer(string key) => Values.GetValueOrDefault(key)?.Value as int?;

    public bool? Boolean(string key) => Values.GetValueOrDefault(key)?.Value as bool?;

    public List<string>? List(string key) => Values.GetValueOrDefault(key)?.Value as List<string>;

    public Dictionary<string, JsonElement>? Map(string key) => Values.GetValueOrDefault(key)?.Value as Dictionary<string, JsonElement>;

    /// <summary>The error located at <paramref name="key"/>'s value, or at the top of the file when the key isn't there.</summary>
    public ConfigError ErrorAt(string? key, string message) =>
        // "properties.min" points at the properties: key, the nearest thing the file has.
        key is not null && (Values.TryGetValue(key, out var value) || Values.TryGetValue(key.Split('.')[0], out value))
            ? new ConfigError(File, value.Line, value.Column, message)
            : new ConfigError(File, Line, Column, message);
}
