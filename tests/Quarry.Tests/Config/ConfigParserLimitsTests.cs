using System.Net.Sockets;

namespace Quarry.Tests.Config;

/// <summary>
/// Files built to hurt the reader (deep nesting, alias bombs, bad bytes) and values YAML reads differently from how
/// they look (~, "yes") are errors at file:line:column, found before any request.
/// </summary>
public sealed class ConfigParserLimitsTests
{
    [Fact]
    public async Task DeepNestingAndAnAliasBombAreErrorsAtTheirLineInsteadOfACrashOrAHugeRequest()
    {
        using var config = ConfigFolder.Offline();
        config.Write("connections/deep.yaml", "name: deep\ntype: sqlite\nparameters: " + new string('[', 50_000) + new string(']', 50_000) + "\n");
        var big = new string('x', 100_000);
        config.Write("datastores/bomb/_datastore.yaml",
            $"name: bomb\nconnection: deep\ndescription: &big {big}\ntags: [{string.Join(", ", Enumerable.Repeat("*big", 2000))}]\n");

        var result = await config.ImportAsync("--dry-run");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.Output);
        Assert.Contains("cfg/connections/deep.yaml:3:", result.Stderr);
        Assert.Contains("the values nest deeper than 64 levels", result.Stderr);
        Assert.Contains("cfg/datastores/bomb/_datastore.yaml:4:", result.Stderr);
        Assert.Contains("with its aliases (*name) expanded, the file holds more than 1,048,576 characters", result.Stderr);
        Assert.DoesNotContain("unreachable", result.Output);
    }

    [Fact]
    public async Task NullTextAQuotedBooleanInvalidUtf8ANulAndOversizedValuesAreErrorsAtTheirPlace()
    {
        using var config = ConfigFolder.Offline();
        config.Write("connections/lake.yaml", "name: lake\ntype: sqlite\npath: /x.db\n");
        config.Write("datastores/tilde/_datastore.yaml", "name: ~\nconnection: lake\n");
        config.Write("datastores/quoted/_datastore.yaml", "name: quoted\nconnection: lake\nenrichment_only: \"yes\"\n");
        config.Write("datastores/nul/_datastore.yaml", "name: nul\nconnection: lake\ndescription: \"a\\0b\"\n");
        config.Write("datastores/large/_datastore.yaml",
            $"name: large\nconnection: lake\ndescription: {new string('d', 10_001)}\ntags: [{string.Join(", ", Enumerable.Range(0, 101).Select(i => $"t{i}"))}]\n");
        var bytes = Encoding.UTF8.GetBytes("name: bytes\nconnection: lake\ndescription: caf").Concat(new byte[] { 0xE9, 0x0A }).ToArray();
        Directory.CreateDirectory(Path.Combine(config.Root, "datastores/bytes"));
        File.WriteAllBytes(Path.Combine(config.Root, "datastores/bytes/_datastore.yaml"), bytes);

        var result = await config.ImportAsync("--dry-run");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.Output);
        var errors = result.Stderr;
        Assert.Contains("cfg/datastores/tilde/_datastore.yaml:1:7: 'name' is null (~), but it must be text", errors);
        Assert.Contains("cfg/datastores/quoted/_datastore.yaml:3:18: 'enrichment_only' must be true or false, without quotes, found quoted text.", errors);
        Assert.Contains("cfg/datastores/nul/_datastore.yaml:3:14: the value contains the NUL character", errors);
        Assert.Contains("cfg/datastores/large/_datastore.yaml:3:14: 'description' must be at most 10,000 characters; it has 10,001.", errors);
        Assert.Contains("cfg/datastores/large/_datastore.yaml:4:7: 'tags': at most 100 tags are allowed; 101 given.", errors);
        Assert.Contains("cfg/datastores/bytes/_datastore.yaml:3:17: the file is not valid UTF-8 text (byte 0xE9 here); save it as UTF-8.", errors);
        Assert.DoesNotContain("unreachable", result.Output);
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task AConnectionNamedWithADigitFirstExportsAVariableImportAccepts(StoreKind kind)
    {
        await using var first = await QuarryTestServer.StartAsync(kind);
        await first.Admin.CreateConnectionAsync("123");
        using var exporter = new CliRunner(first);
        var export = await exporter.RunAsync("config", "export", "--output", "exported");
        Assert.True(export.ExitCode == 0, export.Output);
        var file = File.ReadAllText(Path.Combine(exporter.WorkingDirectory, "exported/connections/123.yaml"));
        Assert.Contains("password: ${_123_PASSWORD}", file);

        await using var second = await QuarryTestServer.StartAsync(kind);
        using var importer = new CliRunner(second).Set("_123_PASSWORD", "pw-123");
        Directory.Move(Path.Combine(exporter.WorkingDirectory, "exported"), Path.Combine(importer.WorkingDirectory, "exported"));
        var import = await importer.ImportAsync("exported");

        Assert.True(import.ExitCode == 0, import.Output);
        Assert.Equal(["123"], (await second.Admin.ReadAsync("/api/connections")).Names());
        var test = await second.Admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/config/plan",
            new { connections = new[] { new { name = "123", type = "postgresql", host = "db.example.com", port = 5432, username = "reader", password = "pw-123", database = "analytics" } } });
        Assert.Equal("unchanged", test.GetProperty("items")[0].GetProperty("action").GetString());
    }

    [Fact]
    public async Task ARequestLargerThanTheServerTakesIsRefusedBeforeSendingWithTheLimitRatherThanAsUnreachable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new Quarry.Cli.Client.QuarryClient($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}", "unused");

        var refused = await Assert.ThrowsAsync<Quarry.Cli.Client.ApiException>(() =>
            client.PostAsync<System.Text.Json.JsonElement>("/api/teams", new { name = "t", padding = new string('p', 2 * 1024 * 1024) }, CancellationToken.None));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.Status);
        Assert.StartsWith("The request to /api/teams would be 2,097,", refused.Detail);
        Assert.Contains("bytes; the server takes at most 1 MiB (1,048,576 bytes). Nothing was sent.", refused.Detail);
    }
}
