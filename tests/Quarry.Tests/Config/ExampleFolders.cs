using System.Text.RegularExpressions;

namespace Quarry.Tests.Config;

/// <summary>The steps a reader of examples/ takes: copy a folder, fill its <c>.env.example</c> into <c>.env</c>, import.</summary>
public static class ExampleFolders
{
    public static string Example(string name) => Path.Combine(Processes.RepoRoot(), "examples", name);

    public static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>
    /// Copies examples/<paramref name="example"/> into the working folder and writes its <c>.env.example</c> as
    /// <c>.env</c> with <paramref name="values"/>: the example must list exactly these variables.
    /// </summary>
    public static void FillEnvironment(CliRunner cli, string example, Dictionary<string, string> values)
    {
        Copy(Example(example), Path.Combine(cli.WorkingDirectory, example));
        var listed = File.ReadAllLines(Path.Combine(cli.WorkingDirectory, example, ".env.example"))
            .Where(l => l.Contains('=') && !l.StartsWith('#')).Select(l => l[..l.IndexOf('=')]).ToList();
        Assert.Equal(values.Keys.Order(), listed.Order());
        File.WriteAllLines(Path.Combine(cli.WorkingDirectory, ".env"), listed.Select(k => $"{k}={values[k]}"));
    }

    /// <summary>Imports the example with <c>--sync</c>, waits for the sync it started, and returns the datastore's containers.</summary>
    public static async Task<List<ContainerDto>> ImportAndSyncAsync(QuarryTestServer server, CliRunner cli, string example, string datastore)
    {
        var result = await cli.RunAsync("config", "import", "--input", example, "--sync");
        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        var started = Regex.Match(result.Stdout, $@"Started sync for datastore: {Regex.Escape(datastore)} \(operation (\d+)\)");
        Assert.True(started.Success, result.Stdout);
        var sync = await SyncApi.WaitAsync(server.Admin, int.Parse(started.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(sync.Result == OperationResult.Success, sync.Message);
        var id = await server.WithDbAsync(db => Task.FromResult(db.Datastores.Single(d => d.Name == datastore).Id));
        return [.. (await SyncApi.ContainersAsync(server.Admin, id)).OrderBy(c => c.Name, StringComparer.Ordinal)];
    }
}
