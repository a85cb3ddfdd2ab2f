using YamlDotNet.Core;
using YamlDotNet.Core.Events;
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
        // Two top-level keys, read with YamlDotNet's parser alone: building a deserializer (type inspectors,
        // reflection) took longer than the rest of a short command's own work.
        var settings = new ClientSettings();
        var parser = new Parser(new StringReader(File.ReadAllText(path)));
        parser.Consume<StreamStart>();
        if (!parser.TryConsume<DocumentStart>(out _) || !parser.TryConsume<MappingStart>(out _)) return settings;
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = parser.Consume<Scalar>().Value;
            if (!parser.TryConsume<Scalar>(out var value)) parser.SkipThisAndNestedEvents();
            else if (key == "url") settings.Url = value.Value;
            else if (key == "token") settings.Token = value.Value;
        }
        return settings;
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
        var url = Variable(context, "QUARRY_URL");
        var token = Variable(context, "QUARRY_TOKEN");
        // With both variables set (CI, scripts) the file is not read at all.
        var file = url is null || token is null ? ReadFile(context) : null;
        url ??= file?.Url;
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"))
            throw new NotConfiguredException($"The server URL '{url}' is not an http:// or https:// URL; write it like http://127.0.0.1:8080.");
        return new ClientSettings { Url = url, Token = token ?? file?.Token };
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
