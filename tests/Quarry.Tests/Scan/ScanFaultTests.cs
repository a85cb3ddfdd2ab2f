using Quarry.Server.Operations.Scan;

namespace Quarry.Tests.Scan;

/// <summary>Awkward names, hostile values and checks the source refuses: each affects only what it must.</summary>
public sealed class ScanFaultTests
{
    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task HostileNamesAndQuotedValuesReachTheSourceAsNamesAndValues(string kind)
    {
        // The names are written in standard SQL's double quotes; MySQL reads those as identifiers only in ANSI_QUOTES mode,
        // set here for the setup's own session (the scan's connection keeps the server's mode and its own quoting).
        await using var world = await ScanWorld.StartAsync(kind, (kind == "mysql" ? "SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES');\n" : "") + """
            CREATE TABLE "Order ""Items""; --" ("a""; drop table x; --" text, "note" text);
            CREATE TABLE x (id integer);
            INSERT INTO "Order ""Items""; --" VALUES (NULL, 'it''s'), ('b', 'o''clock'), ('c', 'plain');
            """);
        var hostile = await world.AddCheckAsync("Order \"Items\"; --", "notNull", ["a\"; drop table x; --"]);
        var quoted = await world.AddCheckAsync("Order \"Items\"; --", "expectedValues", ["note"], new { list = new[] { "it's", "o'clock" } });
        var injected = await world.AddCheckAsync("Order \"Items\"; --", "matchesPattern", ["note"], new { pattern = "' OR 1=1 --" });

        var scan = await world.ScanAsync();

        var results = await world.ResultsAsync(scan.Id);
        Assert.Equal((CheckOutcome.Failed, 1L), (results[hostile].Result, results[hostile].AnomalousRecords));
        Assert.Equal((CheckOutcome.Failed, 1L), (results[quoted].Result, results[quoted].AnomalousRecords));
        Assert.Equal((CheckOutcome.Failed, 3L), (results[injected].Result, results[injected].AnomalousRecords));
        await world.ExecuteAsync("INSERT INTO x VALUES (1);"); // table x is still there
    }

    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task AnExpressionTheSourceRefusesLeavesOnlyThatCheckUnasserted(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, ScanRuleTests.Orders);
        var broken = await world.AddCheckAsync("orders", "satisfiesExpression", [], new { expression = "amount >>>> 2" });
        var unknown = await world.AddCheckAsync("orders", "notNull", ["email"], filter: "no_such_column = 1");
        var fine = await world.AddCheckAsync("orders", "notNull", ["email"], uid: "fine");
        var passing = await world.AddCheckAsync("orders", "notNegative", ["qty"]);

        var scan = await world.ScanAsync();

        Assert.Equal(OperationResult.Success, scan.Result);
        var results = await world.ResultsAsync(scan.Id);
        Assert.Equal(CheckOutcome.Unasserted, results[broken].Result);
        Assert.StartsWith("The source refused this check:", results[broken].Message);
        Assert.Equal(CheckOutcome.Unasserted, results[unknown].Result);
        Assert.Contains("no_such_column", results[unknown].Message);
        Assert.Equal((CheckOutcome.Failed, 1L), (results[fine].Result, results[fine].AnomalousRecords));
        Assert.Equal(CheckOutcome.Passed, results[passing].Result);
        Assert.Equal((1, 1, 2), (scan.Summary!.Value.GetProperty("checks_passed").GetInt32(), scan.Summary!.Value.GetProperty("checks_failed").GetInt32(),
            scan.Summary!.Value.GetProperty("checks_unasserted").GetInt32()));
        var container = Assert.Single(await world.ContainerScansAsync(scan.Id));
        Assert.Equal((5L, 1, 1, 2), (container.RecordCount, container.ChecksPassed, container.ChecksFailed, container.ChecksUnasserted));
    }

    [Theory]
    [ClassData(typeof(BothSources))]
    public async Task AFieldOrTableGoneSinceTheLastSyncLeavesItsChecksUnasserted(string kind)
    {
        await using var world = await ScanWorld.StartAsync(kind, ScanRuleTests.Orders + "CREATE TABLE gone (id integer);");
        var dropped = await world.AddCheckAsync("orders", "notNull", ["note"]);
        var kept = await world.AddCheckAsync("orders", "notNull", ["email"]);
        var table = await world.AddCheckAsync("gone", "notNull", ["id"]);
        await world.ExecuteAsync("ALTER TABLE orders DROP COLUMN note; DROP TABLE gone;");

        var results = await world.ScanResultsAsync();
        Assert.Equal(CheckOutcome.Unasserted, results[dropped].Result);
        Assert.Contains("note", results[dropped].Message);
        Assert.Equal(CheckOutcome.Failed, results[kept].Result);
        Assert.Equal(CheckOutcome.Unasserted, results[table].Result);
        Assert.StartsWith("Container 'gone' could not be read:", results[table].Message);

        // Once a sync has seen the field go, the scan says so without asking the source.
        await world.SyncAsync();
        var after = await world.ScanAsync();
        Assert.Equal(
            "Field 'note' no longer exists in container 'orders' (the last sync found it gone); the check was not evaluated. Change or delete the check.",
            (await world.ResultsAsync(after.Id))[dropped].Message);
    }

    [Fact]
    public async Task ASourceThatGoesAwayMidScanFailsTheScanAndKeepsWhatWasRecorded()
    {
        var login = await SourceDatabases.CreatePasswordUserAsync();
        await using var world = await ScanWorld.StartAsync("postgresql", ScanRuleTests.Orders + "CREATE TABLE z_last (id integer); INSERT INTO z_last VALUES (1);", login: login);
        await world.AddCheckAsync("orders", "notNull", ["email"]);
        // The source ends the scan's own session while it reads the second container, as a restart or a network cut would.
        await world.AddCheckAsync("z_last", "satisfiesExpression", [], new { expression = "pg_terminate_backend(pg_backend_pid())" });

        var scan = await world.ScanAsync();

        Assert.True(OperationResult.Failure == scan.Result, string.Join("\n", (await world.ResultsAsync(scan.Id)).Values.Select(r => $"{r.Result}: {r.Message}")));
        Assert.EndsWith("The scan stopped at container 'z_last' (1 of 2 scanned, their results kept).", scan.Message);
        Assert.DoesNotContain(login.Password, scan.Message);
        var recorded = Assert.Single(await world.ContainerScansAsync(scan.Id));
        Assert.Equal((1, 1), (recorded.ChecksFailed, (await world.ResultsAsync(scan.Id)).Count));
        Assert.Single(await world.AnomaliesAsync());
        Assert.DoesNotContain(login.Password, Assert.Single(await world.AnomaliesAsync()).SourceRecordsJson + Assert.Single(await world.AnomaliesAsync()).Message);
    }

    [Theory]
    [InlineData("postgresql")]
    [InlineData("mysql")]
    public async Task APasswordTheSourceEchoesBackReachesNoResultAnomalyMessageOrLog(string kind)
    {
        var login = kind == "postgresql" ? await SourceDatabases.CreatePasswordUserAsync() : ((string, string)?)null;
        // A function that fails with the value it is given as its message, as a user's function in an expression may.
        var shout = kind == "postgresql"
            ? "CREATE FUNCTION shout(v text) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '%', v; END $$;"
            : "CREATE FUNCTION shout(v text) RETURNS integer DETERMINISTIC BEGIN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v; RETURN 0; END;";
        await using var world = await ScanWorld.StartAsync(kind, ScanRuleTests.Orders + """
            CREATE TABLE notes (id integer, body text);
            CREATE TABLE z_shout (id integer, body text);
            """ + shout, login: login);
        var password = world.SourcePassword!;
        if (kind == "mysql")
            await Support.TestMariaDb.ExecuteAsync($"GRANT EXECUTE ON FUNCTION shout TO '{world.SourceUser}'@'127.0.0.1';", world.SourceSchema);
        // The password as a value in the source: an error about that value quotes it.
        await world.ExecuteAsync($"INSERT INTO notes VALUES (1, '{password}'); INSERT INTO z_shout VALUES (1, '{password}');");
        var orders = await world.AddCheckAsync("orders", "notNull", ["email"]);
        var cast = kind == "postgresql" ? await world.AddCheckAsync("notes", "satisfiesExpression", [], new { expression = "CAST(body AS integer) > 0" }) : (int?)null;
        await world.AddCheckAsync("z_shout", "satisfiesExpression", [], new { expression = kind == "postgresql" ? "shout(body)" : "shout(body) = 0" });

        var scan = await world.ScanAsync();

        // The function's failure stops the scan at its container, with the source's message, the password masked.
        Assert.Equal(OperationResult.Failure, scan.Result);
        Assert.Contains("***", scan.Message);
        Assert.EndsWith("The scan stopped at container 'z_shout' (2 of 3 scanned, their results kept).", scan.Message);
        var results = await world.ResultsAsync(scan.Id);
        Assert.Equal(CheckOutcome.Failed, results[orders].Result);
        if (cast is int castCheck)
        {
            // PostgreSQL quotes the value it could not read as a number: only that check is unasserted, its message masked.
            Assert.Equal(CheckOutcome.Unasserted, results[castCheck].Result);
            Assert.Equal("The source refused this check: PostgreSQL refused the statement: invalid input syntax for type integer: \"***\" (22P02).", results[castCheck].Message);
        }
        var anomalies = await world.AnomaliesAsync();
        var everything = string.Join("\n", [scan.Message, scan.Details, .. results.Values.Select(r => r.Message), .. anomalies.Select(a => a.Message + a.SourceRecordsJson),
            world.Server.Logs.All]);
        Assert.DoesNotContain(password, everything);
    }

    [Fact]
    public async Task AHugeValueTheSourceQuotesWhenItRefusesACheckIsCutInTheChecksMessage()
    {
        await using var world = await ScanWorld.StartAsync("postgresql", "CREATE TABLE docs (id integer, body text);");
        await world.ExecuteAsync($"INSERT INTO docs VALUES (1, '{new string('z', 100_000)}');");
        var check = await world.AddCheckAsync("docs", "satisfiesExpression", [], new { expression = "CAST(body AS integer) > 0" });

        var scan = await world.ScanAsync();

        var result = (await world.ResultsAsync(scan.Id))[check];
        const string start = "The source refused this check: PostgreSQL refused the statement: invalid input syntax for type integer: \"zzz";
        Assert.Equal(CheckOutcome.Unasserted, result.Result);
        Assert.StartsWith(start, result.Message);
        Assert.Equal(("The source refused this check: ".Length + SourceRecords.MaxTextLength + 1, '…'), (result.Message!.Length, result.Message[^1]));
    }

    [Fact]
    public async Task AbortingAScanWaitingOnTheSourceEndsItAsAbortedAndKeepsWhatWasRecorded()
    {
        await using var world = await ScanWorld.StartAsync("postgresql", ScanRuleTests.Orders + "CREATE TABLE z_slow (id integer); INSERT INTO z_slow VALUES (1);");
        await world.AddCheckAsync("orders", "notNull", ["email"]);
        await world.AddCheckAsync("z_slow", "satisfiesExpression", [], new { expression = "(SELECT true FROM pg_sleep(300))" });

        var running = await world.StartScanAsync();
        await SyncApi.PollAsync(() => QuarryTestServer.GetJsonAsync<OperationDto>(world.Admin, $"/api/operations/{running.Id}"),
            o => o.Status.ContainersAnalyzed == 1, "the scan to reach the slow container");
        (await world.Admin.PutAsync($"/api/operations/abort/{running.Id}", null)).EnsureSuccessStatusCode();

        var aborted = await SyncApi.WaitAsync(world.Admin, running.Id).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(OperationResult.Aborted, aborted.Result);
        Assert.Equal("Aborted by a user; the containers scanned before it stopped kept their results, and the others were not scanned.", aborted.Message);
        Assert.Single(await world.ContainerScansAsync(running.Id));
    }

    [Fact]
    public async Task NamedContainersAreTheOnlyOnesScannedAndAnUnknownNameFailsClearly()
    {
        await using var world = await ScanWorld.StartAsync("sqlite", ScanRuleTests.Orders + "CREATE TABLE other (id integer); INSERT INTO other VALUES (NULL);");
        await world.AddCheckAsync("orders", "notNull", ["email"]);
        await world.AddCheckAsync("other", "notNull", ["id"]);

        var scan = await world.ScanAsync(["other"]);
        Assert.Equal((1, 1), (scan.Status.TotalContainers, scan.Status.ContainersAnalyzed));
        Assert.Equal("1 of 1 rows have a null in 'id'.", Assert.Single(await world.AnomaliesAsync()).Message);

        var unknown = await world.ScanAsync(["nope"]);
        Assert.Equal(OperationResult.Failure, unknown.Result);
        Assert.StartsWith($"Datastore {world.DatastoreId} has no container named 'nope'; nothing was scanned.", unknown.Message);

        var refused = await Sync.SyncApi.PostAsync(world.Admin, "/api/operations/run", new { type = "scan", datastore_id = world.DatastoreId, container_names = new[] { " " } });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("container_names[0]", await refused.Content.ReadAsStringAsync());
    }
}
