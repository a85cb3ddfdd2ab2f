using Npgsql;

namespace Quarry.Tests.FullConfig;

/// <summary>A real server, a real PostgreSQL source (SourceDatabases' <c>sales</c> schema) and a CLI to run config commands with.</summary>
public sealed class FullConfigWorld : IAsyncDisposable
{
    public const string Password = "Src-P@ss-93f1";

    private FullConfigWorld(QuarryTestServer server, string source, CliRunner cli)
    {
        Server = server;
        Source = source;
        Cli = cli;
    }

    public QuarryTestServer Server { get; }
    public string Source { get; }
    public CliRunner Cli { get; }

    public static async Task<FullConfigWorld> StartAsync(StoreKind kind, string? source = null)
    {
        source ??= await SourceDatabases.CreatePostgresAsync();
        var server = await QuarryTestServer.StartAsync(kind);
        var cli = new CliRunner(server).Set("SOURCE_PASSWORD", Password);
        return new FullConfigWorld(server, source, cli);
    }

    /// <summary>Writes files (relative path → content) under a folder of the CLI's working directory and returns the folder's name.</summary>
    public string Folder(string name, IReadOnlyDictionary<string, string> files)
    {
        var root = Path.Combine(Cli.WorkingDirectory, name);
        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
        return name;
    }

    /// <summary>The connection and datastore files for the source's <c>sales</c> schema.</summary>
    public Dictionary<string, string> BaseFiles()
    {
        var builder = new NpgsqlConnectionStringBuilder(Source);
        return new Dictionary<string, string>
        {
            ["connections/source.yaml"] = $"name: source\ntype: postgresql\nhost: {builder.Host}\nport: {builder.Port}\nusername: {builder.Username}\npassword: ${{SOURCE_PASSWORD}}\ndatabase: {builder.Database}\n",
            ["datastores/sales/_datastore.yaml"] = $"name: sales\nconnection: source\ndatabase: {builder.Database}\nschema: sales\ntags: [finance]\n",
        };
    }

    /// <summary>Every file under a folder, by relative path, as bytes.</summary>
    public static SortedDictionary<string, byte[]> ReadTree(string root) => new(
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllBytes), StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        Cli.Dispose();
        await Server.DisposeAsync();
    }
}
