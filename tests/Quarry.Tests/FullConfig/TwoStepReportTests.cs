using Quarry.Tests.Config;

namespace Quarry.Tests.FullConfig;

/// <summary>An import whose checks need a sync first applies in two steps; its report still names every write and the sync.</summary>
public sealed class TwoStepReportTests
{
    private static Dictionary<string, string> Files(FullConfigWorld world, params string[] datastores)
    {
        var files = world.BaseFiles();
        var database = files["datastores/sales/_datastore.yaml"].Split('\n').First(l => l.StartsWith("database:", StringComparison.Ordinal));
        files.Remove("datastores/sales/_datastore.yaml");
        foreach (var name in datastores)
        {
            files[$"datastores/{name}/_datastore.yaml"] = $"name: {name}\nconnection: source\n{database}\nschema: sales\ngroup: nightly\n";
            files[$"datastores/{name}/checks/customers/notNull__id.yaml"] = "rule: notNull\nfields: [id]\n";
        }
        return files;
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ATwoStepImportReportsTheGroupItCreatedAndTheSyncItRanInJsonAndText(StoreKind kind)
    {
        await using var world = await FullConfigWorld.StartAsync(kind);
        var folder = world.Folder("cfg", Files(world, "sales"));

        var json = await world.AssertImportsAsync(folder, "--format", "json");
        var document = JsonDocument.Parse(json.Stdout).RootElement;
        var groups = document.GetProperty("summary").GetProperty("datastore_groups");
        Assert.Equal(1, groups.GetProperty("created").GetInt32());
        Assert.Contains(document.GetProperty("items").EnumerateArray(),
            i => i.GetProperty("kind").GetString() == "datastore_group" && i.GetProperty("action").GetString() == "create");
        var sync = Assert.Single(document.GetProperty("syncs").EnumerateArray());
        Assert.Equal("sales", sync.GetProperty("datastore").GetString());
        Assert.Equal("success", sync.GetProperty("result").GetString());
        // The folder holds no computed containers or fields: no rows of zeros for them.
        Assert.False(document.GetProperty("summary").TryGetProperty("containers", out _), json.Stdout);
        Assert.False(document.GetProperty("summary").TryGetProperty("computed_fields", out _), json.Stdout);

        // The re-run writes nothing and still lists the group, as unchanged.
        var again = await world.AssertImportsAsync(folder);
        Assert.Contains(ConfigFolders.Row("Datastore groups", 0, 0, 1, 0), ConfigFolders.Squeeze(again.Stdout));
        Assert.DoesNotContain("Computed containers", again.Stdout);
        Assert.DoesNotContain("Synced datastore", again.Stdout);

        // Without a terminal the text output says what the first step wrote and which sync it ran.
        var files = Files(world, "sales_copy");
        files.Remove("connections/source.yaml");
        var more = world.Folder("cfg2", files);
        var text = await world.AssertImportsAsync(more, "--namespace", "cfg2");
        Assert.Contains("Created datastore: sales_copy", text.Stdout);
        Assert.Contains("Synced datastore: sales_copy (operation ", text.Stdout);
        Assert.Contains("Created quality check: sales_copy/customers/notNull(id)", text.Stdout);
        Assert.Contains(ConfigFolders.Row("Datastore groups", 0, 0, 1, 0), ConfigFolders.Squeeze(text.Stdout));
    }
}
