using System.Diagnostics;

namespace Quarry.Tests.Qualytics;

/// <summary>
/// The public Qualytics CLI's own code, not a replay of its requests: its API layer (<c>qualytics/api</c> in <c>qualytics-cli/qualytics.zip</c>,
/// copied unchanged from github.com/Qualytics/qualytics-cli with its licence) and its token check, run by Python with
/// the CLI's real dependencies (requests, rich, PyJWT, PyYAML; test.sh installs Debian's) against a real Quarry server:
/// connections, datastores, a sync, containers and a computed join, checks, a scan and the anomalies it found.
/// </summary>
public sealed class QualyticsCliCodeTests
{
    [PythonWithRequestsFact]
    public async Task TheCliApiLayerWorksEndToEndAgainstQuarry()
    {
        await using var server = await QuarryTestServer.StartAsync(StoreKind.Sqlite);
        var (userId, _) = await server.CreateUserAsync("cli-admin", Role.Admin);
        var token = (await server.Admin.CreateAsync($"/api/users/{userId}/tokens", new { name = "qualytics-cli", expires_in = "30d" })).GetProperty("token").GetString()!;
        var folder = Directory.CreateTempSubdirectory("quarry-qualytics-cli-").FullName;
        var here = Path.Combine(Processes.RepoRoot(), "tests", "Quarry.Tests", "Qualytics");

        var run = await Processes.RunAsync(PythonWithRequestsFactAttribute.Python!,
            [Path.Combine(here, "drive_cli.py"), Path.Combine(here, "qualytics-cli"), server.Url.TrimEnd('/'), token, Path.Combine(folder, "shop.db")], folder);

        Assert.True(run.ExitCode == 0, $"the CLI's code failed against Quarry (exit {run.ExitCode}):\n{run.Stdout}\n{run.Stderr}");
        Assert.DoesNotContain(token, run.Stdout + run.Stderr);
        var got = JsonDocument.Parse(run.Stdout.TrimEnd().Split('\n')[^1]).RootElement;
        var doctor = got.GetProperty("doctor");
        Assert.Equal(54, doctor.GetProperty("required").GetInt32());
        Assert.Empty(doctor.GetProperty("missing").EnumerateArray());
        Assert.Equal("cli-shop", got.GetProperty("connections").GetProperty("read_back").GetString());
        Assert.Equal("driven by the Qualytics CLI", got.GetProperty("datastores").GetProperty("description").GetString());
        var sync = got.GetProperty("sync");
        Assert.Equal(JsonValueKind.Null, sync.GetProperty("message").ValueKind);
        Assert.Equal([sync.GetProperty("id").GetInt32()], sync.GetProperty("listed").EnumerateArray().Select(i => i.GetInt32()));
        var containers = got.GetProperty("containers");
        Assert.Equal(["customers", "orders"], containers.GetProperty("listing").EnumerateArray().Select(n => n.GetString()!));
        Assert.Equal(["ord_id", "ord_status", "country"], containers.GetProperty("join_fields").EnumerateArray().Select(n => n.GetString()!));
        Assert.Equal(["ord_id", "ord_status", "country"], containers.GetProperty("validated_fields").EnumerateArray().Select(n => n.GetString()!));
        var checks = got.GetProperty("checks");
        var countryCheck = checks.GetProperty("country_check").GetInt32();
        Assert.Equal([countryCheck], checks.GetProperty("tagged").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Equal(("notNull", "every order has an amount"), (checks.GetProperty("rule_type").GetString(), checks.GetProperty("description").GetString()));
        Assert.Equal(["country"], checks.GetProperty("fields").EnumerateArray().Select(n => n.GetString()!));

        // What the CLI changed is what Quarry now holds, read through Quarry's own API.
        var anomalies = got.GetProperty("anomalies");
        var found = anomalies.GetProperty("found").EnumerateArray().Select(i => i.GetInt32()).ToList();
        Assert.Equal(2, found.Count);
        Assert.Equal(("Acknowledged", "customers 9 and Bob have no country"), (anomalies.GetProperty("acknowledged").GetString(), anomalies.GetProperty("description").GetString()));
        var archived = Assert.Single(anomalies.GetProperty("archived").EnumerateArray());
        var resolved = await server.Admin.ReadAsync($"/api/anomalies/{archived[0].GetInt32()}");
        Assert.Equal(("Resolved", true, checks.GetProperty("amount_check").GetInt32()),
            (resolved.GetProperty("status").GetString(), resolved.GetProperty("archived").GetBoolean(), resolved.GetProperty("check_id").GetInt32()));
        // Deleting the join (the CLI's last step) took its check and the anomaly the CLI acknowledged with it.
        var joined = found.Single(id => id != archived[0].GetInt32());
        await server.Admin.ExpectProblemAsync(System.Net.HttpStatusCode.NotFound, HttpMethod.Get, $"/api/anomalies/{joined}");
        await server.Admin.ExpectProblemAsync(System.Net.HttpStatusCode.NotFound, HttpMethod.Get, $"/api/quality-checks/{countryCheck}");
        Assert.Equal(400, got.GetProperty("unknown filter").GetProperty("status").GetInt32());
        var gone = await server.Admin.SendAsync(HttpMethod.Get, $"/api/containers?datastore={got.GetProperty("datastores").GetProperty("id").GetInt32()}&name=order_customers");
        Assert.Equal(0, gone.Body.GetProperty("total").GetInt32());
    }
}

/// <summary>Runs only where a Python 3 with <c>requests</c> is installed; says so when it is not.</summary>
public sealed class PythonWithRequestsFactAttribute : FactAttribute
{
    /// <summary>The first of Debian's python3 and the one on PATH that imports requests, or null.</summary>
    public static readonly string? Python = new[] { "/usr/bin/python3", "python3" }.FirstOrDefault(Imports);

    public PythonWithRequestsFactAttribute()
    {
        if (Python is null) Skip = "No python3 with the requests package is installed (Debian: apt-get install python3-requests python3-rich python3-jwt python3-yaml).";
    }

    private static bool Imports(string python)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(python, ["-c", "import requests"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
