using System.Net.Sockets;

namespace Quarry.Tests.Config;

/// <summary>A CLI and a config folder in its working directory: write files into the folder, then import it.</summary>
internal class ConfigFolder(CliRunner cli, string folder) : IDisposable
{
    public CliRunner Cli { get; } = cli;

    /// <summary>The folder's name, as it is given to <c>--input</c> and as messages show it.</summary>
    public string Folder { get; } = folder;

    public string Root => Path.Combine(Cli.WorkingDirectory, Folder);

    /// <summary>
    /// A folder whose CLI points at a port where nothing listens: any request ends in "unreachable", so a usage error
    /// shows that validation stopped the run before anything was sent.
    /// </summary>
    public static ConfigFolder Offline(string folder = "cfg")
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var cli = new CliRunner().Set("QUARRY_URL", $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}").Set("QUARRY_TOKEN", "unused");
        return new ConfigFolder(cli, folder);
    }

    public void Write(string relative, string text) => ConfigFolders.Write(Root, relative, text);

    /// <summary>Writes the typical folder (<see cref="ConfigFolders.WriteSeedFolder"/>) as this folder.</summary>
    public void WriteSeedFolder() => ConfigFolders.WriteSeedFolder(Cli.WorkingDirectory, Folder);

    /// <summary>Runs <c>config import</c> of the folder with <paramref name="options"/>.</summary>
    public Task<CliResult> ImportAsync(params string[] options) => Cli.ImportAsync(Folder, options);

    public void Dispose() => Cli.Dispose();
}

/// <summary>A config folder whose CLI is signed in as admin to a real server of its own.</summary>
internal sealed class ConfigWorld : ConfigFolder, IAsyncDisposable
{
    private ConfigWorld(QuarryTestServer server, string folder) : base(new CliRunner(server), folder) => Server = server;

    public QuarryTestServer Server { get; }

    /// <summary>Starts with an empty folder named <paramref name="folder"/>.</summary>
    public static async Task<ConfigWorld> StartAsync(StoreKind kind, string folder = "cfg") =>
        new(await QuarryTestServer.StartAsync(kind), folder);

    /// <summary>Starts with the typical folder written as <c>quarry-config</c> and its variables set.</summary>
    public static async Task<ConfigWorld> StartWithSeedFolderAsync(StoreKind kind)
    {
        var world = await StartAsync(kind, "quarry-config");
        world.Cli.WithSeedSecrets();
        world.WriteSeedFolder();
        return world;
    }

    public async ValueTask DisposeAsync()
    {
        Dispose();
        await Server.DisposeAsync();
    }
}
