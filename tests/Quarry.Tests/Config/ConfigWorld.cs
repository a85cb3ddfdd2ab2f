namespace Quarry.Tests.Config;

/// <summary>A real server, a CLI signed in to it as admin, and a config folder in the CLI's working directory to import.</summary>
internal sealed class ConfigWorld : IAsyncDisposable
{
    private ConfigWorld(QuarryTestServer server, string folder)
    {
        Server = server;
        Cli = new CliRunner(server);
        Folder = folder;
    }

    public QuarryTestServer Server { get; }
    public CliRunner Cli { get; }

    /// <summary>The folder's name, as it is given to <c>--input</c> and as messages show it.</summary>
    public string Folder { get; }

    public string Root => Path.Combine(Cli.WorkingDirectory, Folder);

    /// <summary>Starts with an empty folder named <paramref name="folder"/>.</summary>
    public static async Task<ConfigWorld> StartAsync(StoreKind kind, string folder = "cfg") =>
        new(await QuarryTestServer.StartAsync(kind), folder);

    /// <summary>Starts with the typical folder (<see cref="ConfigFolders.WriteSeedFolder"/>) written and its variables set.</summary>
    public static async Task<ConfigWorld> StartWithSeedFolderAsync(StoreKind kind)
    {
        var world = await StartAsync(kind, "quarry-config");
        world.Cli.WithSeedSecrets();
        ConfigFolders.WriteSeedFolder(world.Cli.WorkingDirectory, world.Folder);
        return world;
    }

    public void Write(string relative, string text) => ConfigFolders.Write(Root, relative, text);

    /// <summary>Runs <c>config import</c> of the folder with <paramref name="options"/>.</summary>
    public Task<CliResult> ImportAsync(params string[] options) => Cli.ImportAsync(Folder, options);

    public async ValueTask DisposeAsync()
    {
        Cli.Dispose();
        await Server.DisposeAsync();
    }
}
