using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Quarry.Cli.Client;

/// <summary>Where the CLI finds its server and token: QUARRY_URL/QUARRY_TOKEN, else ~/.quarry/config.yaml.</summary>
public sealed class ClientSettings
{
    public string? Url { get; set; }
    public string? Token { get; set; }

    public static string ConfigPath(CliContext context) => Path.Combine(context.HomeDirectory, ".quarry", "config.yaml");

    public static ClientSettings? ReadFile(CliContext context)
    {
        var path = ConfigPath(context);
        if (!File.Exists(path)) return null;
        return new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).IgnoreUnmatchedProperties().Build()
            .Deserialize<ClientSettings>(File.ReadAllText(path)) ?? new ClientSettings();
    }

    /// <summary>Writes the config file readable by its owner only (0600), replacing it atomically.</summary>
    public static void WriteFile(CliContext context, ClientSettings settings)
    {
        var path = ConfigPath(context);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var yaml = new SerializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Serialize(settings);
        var temp = path + ".tmp";
        File.Delete(temp);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream)) writer.Write(yaml);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The effective settings: environment first, then the config file.</summary>
    public static ClientSettings Resolve(CliContext context)
    {
        var file = ReadFile(context);
        var url = Variable(context, "QUARRY_URL") ?? file?.Url;
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"))
            throw new NotConfiguredException($"The server URL '{url}' is not an http:// or https:// URL; write it like http://127.0.0.1:8080.");
        return new ClientSettings { Url = url, Token = Variable(context, "QUARRY_TOKEN") ?? file?.Token };
    }

    /// <summary>
    /// A variable's value, or null when it is not set. Set but empty is an error: a CI secret that didn't arrive must not
    /// quietly fall back to the token saved on this machine (often an admin's).
    /// </summary>
    private static string? Variable(CliContext context, string name) => context.GetEnvironment(name) switch
    {
        null => null,
        var value when string.IsNullOrWhiteSpace(value) =>
            throw new NotConfiguredException($"{name} is set but empty. Set it, or unset it to use {ConfigPathHint}."),
        var value => value.Trim(),
    };

    private const string ConfigPathHint = "~/.quarry/config.yaml (quarry auth init)";
}
