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

    /// <summary>Runs <c>config import</c> of <paramref name="folder"/> with <paramref name="options"/> after it.</summary>
    public Task<CliResult> ImportAsync(string folder, params string[] options) => Cli.RunAsync(["config", "import", "--input", folder, .. options]);

    /// <summary>Runs <c>config import</c> of <paramref name="folder"/> and asserts it succeeds; returns what it printed.</summary>
    public Task<CliResult> AssertImportsAsync(string folder, params string[] options) =>
        AssertSucceedsAsync(["config", "import", "--input", folder, .. options]);

    /// <summary>Runs <c>config export</c> into <paramref name="folder"/> and asserts it succeeds; returns what it printed.</summary>
    public Task<CliResult> AssertExportsAsync(string folder, params string[] options) =>
        AssertSucceedsAsync(["config", "export", "--output", folder, .. options]);

    private async Task<CliResult> AssertSucceedsAsync(string[] args)
    {
        var result = await Cli.RunAsync(args);
        Assert.True(result.ExitCode == 0, result.Output);
        return result;
    }

    /// <summary>
    /// Imports an exported <paramref name="tree"/> into a fresh server on the same source and exports it again, asserting
    /// that both succeed and give back the same files byte for byte. Returns that second world for further checks.
    /// </summary>
    public async Task<FullConfigWorld> AssertRoundTripsAsync(SortedDictionary<string, byte[]> tree) =>
        await WorldSetup.SetUpAsync(await StartAsync(Server.Kind, Source), async second =>
        {
            var target = Path.Combine(second.Cli.WorkingDirectory, "exported");
            foreach (var (relative, bytes) in tree)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
                File.WriteAllBytes(Path.Combine(target, relative), bytes);
            }
            await second.AssertImportsAsync("exported");
            await second.AssertExportsAsync("again");
            var roundTripped = ReadTree(Path.Combine(second.Cli.WorkingDirectory, "again"));
            Assert.Equal(tree.Keys, roundTripped.Keys);
            foreach (var (relative, bytes) in tree)
                Assert.True(bytes.AsSpan().SequenceEqual(roundTripped[relative]),
                    $"{relative} differs:\n{Encoding.UTF8.GetString(bytes)}\n---\n{Encoding.UTF8.GetString(roundTripped[relative])}");
        });

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
